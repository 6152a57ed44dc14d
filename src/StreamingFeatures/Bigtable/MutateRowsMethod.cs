using System.Buffers;
using System.Text;
using Google.Cloud.Bigtable.V2;
using Grpc.Core;

namespace StreamingFeatures.Bigtable;

/// <summary>
/// Bigtable's MutateRows RPC with a request marshaller that writes pre-encoded entries straight into the frame. The
/// wire is exactly the generated client's (same service, method and message encoding); only the per-cell message
/// objects are skipped, which is most of the client's CPU on the write path.
/// </summary>
internal static class MutateRowsMethod
{
    public static readonly Method<MutateRowsPayload, MutateRowsResponse> Method = new(
        MethodType.ServerStreaming,
        Google.Cloud.Bigtable.V2.Bigtable.Descriptor.FullName,
        "MutateRows",
        Marshallers.Create<MutateRowsPayload>(Serialize, _ => throw new NotSupportedException("Requests are only sent.")),
        ProtobufMarshaller.For(MutateRowsResponse.Parser));

    /// <summary>table_name = 1, app_profile_id = 3, encoded once per writer.</summary>
    public static byte[] Header(string tableName, string? appProfileId)
    {
        byte[] table = Encoding.UTF8.GetBytes(tableName);
        byte[] profile = Encoding.UTF8.GetBytes(appProfileId ?? string.Empty);
        byte[] header = new byte[ProtoWire.FieldSize(table.Length) + (profile.Length > 0 ? ProtoWire.FieldSize(profile.Length) : 0)];
        int at = ProtoWire.WriteHeader(header, 1, table.Length);
        table.CopyTo(header, at);
        at += table.Length;
        if (profile.Length > 0)
        {
            at += ProtoWire.WriteHeader(header.AsSpan(at), 3, profile.Length);
            profile.CopyTo(header, at);
        }

        return header;
    }

    private static void Serialize(MutateRowsPayload payload, SerializationContext context)
    {
        int length = payload.Length;
        context.SetPayloadLength(length);
        IBufferWriter<byte> writer = context.GetBufferWriter();
        Span<byte> destination = writer.GetSpan(length);
        payload.Header.Span.CopyTo(destination);
        int at = payload.Header.Length;
        foreach (int index in payload.Indexes)
        {
            ReadOnlySpan<byte> entry = payload.Rows.Entry(index);
            entry.CopyTo(destination[at..]);
            at += entry.Length;
        }

        writer.Advance(length);
        context.Complete();
    }

    /// <summary>The request as the generated message, for tests and diagnostics.</summary>
    public static MutateRowsRequest ToMessage(MutateRowsPayload payload)
    {
        byte[] bytes = new byte[payload.Length];
        payload.Header.Span.CopyTo(bytes);
        int at = payload.Header.Length;
        foreach (int index in payload.Indexes)
        {
            payload.Rows.Entry(index).CopyTo(bytes.AsSpan(at));
            at += payload.Rows[index].Length;
        }

        return MutateRowsRequest.Parser.ParseFrom(bytes);
    }
}
