using System.Text;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Pipeline.Stages;

/// <summary>One feature, compiled: its source ordinal and the constant bytes of its cell (family and qualifier fields).</summary>
internal sealed class FeaturePlan
{
    // SetCell: family_name = 1, column_qualifier = 2, timestamp_micros = 3, value = 4.
    // DeleteFromColumn: family_name = 1, column_qualifier = 2, time_range = 3 (TimestampRange.end_timestamp_micros = 2).
    public const byte TimestampTag = 0x18;
    public const byte ValueTag = 0x22;
    public const byte TimeRangeTag = 0x1A;
    public const byte RangeEndTag = 0x10;

    public FeaturePlan(FeatureOptions feature, int ordinal, ColumnType type, CellConversion conversion = CellConversion.None)
    {
        Name = feature.Name;
        Ordinal = ordinal;
        Type = type;
        Conversion = conversion;
        Nullable = feature.Nullable;
        Family = feature.Family;
        Qualifier = Encoding.UTF8.GetBytes(feature.ColumnQualifier);
        byte[] family = Encoding.UTF8.GetBytes(feature.Family);
        FamilyQualifier = new byte[ProtoWire.FieldSize(family.Length) + ProtoWire.FieldSize(Qualifier.Length)];
        int at = ProtoWire.WriteHeader(FamilyQualifier, 1, family.Length);
        family.CopyTo(FamilyQualifier.AsSpan(at));
        at += family.Length;
        at += ProtoWire.WriteHeader(FamilyQualifier.AsSpan(at), 2, Qualifier.Length);
        Qualifier.CopyTo(FamilyQualifier.AsSpan(at));
    }

    public string Name { get; }

    public int Ordinal { get; }

    /// <summary>The source column's type.</summary>
    public ColumnType Type { get; }

    /// <summary>How the column's value becomes the feature's cell.</summary>
    public CellConversion Conversion { get; }

    public bool Nullable { get; }

    public string Family { get; }

    public byte[] Qualifier { get; }

    /// <summary>The encoded family_name and column_qualifier fields, shared by SetCell and DeleteFromColumn.</summary>
    public byte[] FamilyQualifier { get; }

    public int SetCellSize(long timestampMicros, int valueLength) =>
        FamilyQualifier.Length + 1 + ProtoWire.VarintSize(timestampMicros) + ProtoWire.FieldSize(valueLength);

    public int DeleteSize(long timestampMicros) =>
        FamilyQualifier.Length + ProtoWire.FieldSize(1 + ProtoWire.VarintSize(DeleteEnd(timestampMicros)));

    /// <summary>Deletes up to and including the event's millisecond, never a newer event's cell.</summary>
    public static long DeleteEnd(long timestampMicros) => timestampMicros + 1000;
}
