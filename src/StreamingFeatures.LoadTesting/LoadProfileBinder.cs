using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// Turns a parsed profile file into a <see cref="LoadProfile"/>, collecting every unreadable value and unknown key
/// (a typo must not silently run the default) with its path and position; a setting it cannot read keeps its default.
/// </summary>
internal sealed partial class LoadProfileBinder : SettingBinder
{
    private static readonly string[] RootKeys = ["name", "description", "target", "shape", "keys", "rows", "rowKey", "measure", "gate", "reads"];
    private static readonly string[] ShapeKeys = ["kind", "rate", "from", "to", "duration", "steps", "spikeRate", "spikeAt", "spikeDuration", "stages"];
    private static readonly string[] StageKeys = ["duration", "rate", "to"];
    private static readonly string[] KeysKeys = ["distribution", "keySpace", "zipfExponent", "hotKeyShare", "hotKeys"];
    private static readonly string[] RowsKeys = ["features", "valueBytes"];
    private static readonly string[] RowKeyKeys = ["bucketPrefix", "buckets"];
    private static readonly string[] MeasureKeys = ["interval", "keyRanges", "keyRangeSource", "drain", "warmup"];
    private static readonly string[] GateKeys = ["maxThroughputDrop", "maxP99Rise"];

    protected override string WholeName => "the profile";

    public LoadProfile Bind(SettingNode root)
    {
        var profile = new LoadProfile();
        foreach ((string key, string path, SettingNode value) in Entries(root, string.Empty, RootKeys))
        {
            switch (key)
            {
                case "name": profile.Name = ReadString(path, value) ?? profile.Name; break;
                case "description": profile.Description = ReadString(path, value); break;
                case "target": profile.Target = ReadEnum<LoadTarget>(path, value) ?? profile.Target; break;
                case "shape": profile.Shape = ReadShape(path, value); break;
                case "keys": ReadKeys(path, value, profile.Keys); break;
                case "rows": ReadRows(path, value, profile.Rows); break;
                case "rowKey": ReadRowKey(path, value, profile.RowKey); break;
                case "measure": ReadMeasure(path, value, profile.Measure); break;
                case "reads": profile.Reads = ReadReads(path, value); break;
                default: ReadGate(path, value, profile.Gate); break;
            }
        }

        DefaultReadKeySpace(profile);
        return profile;
    }

    private LoadShape ReadShape(string path, SettingNode node)
    {
        var shape = new LoadShape();
        foreach ((string key, string child, SettingNode value) in Entries(node, path, ShapeKeys))
        {
            switch (key)
            {
                case "kind": shape.Kind = ReadEnum<LoadShapeKind>(child, value) ?? shape.Kind; break;
                case "rate": shape.Rate = ReadDouble(child, value, "rows per second"); break;
                case "from": shape.From = ReadDouble(child, value, "rows per second"); break;
                case "to": shape.To = ReadDouble(child, value, "rows per second"); break;
                case "duration": shape.Duration = ReadDuration(child, value); break;
                case "steps": shape.Steps = ReadInt(child, value, "2 to 1000"); break;
                case "spikeRate": shape.SpikeRate = ReadDouble(child, value, "rows per second"); break;
                case "spikeAt": shape.SpikeAt = ReadDuration(child, value); break;
                case "spikeDuration": shape.SpikeDuration = ReadDuration(child, value); break;
                default: shape.Stages = ReadStages(child, value); break;
            }
        }

        return shape;
    }

    private List<LoadStage> ReadStages(string path, SettingNode node)
    {
        var stages = new List<LoadStage>();
        if (node is not SettingSequence sequence)
        {
            FailUnlessNull(path, node, "a list of stages, each with duration and rate (and optionally to)");
            return stages;
        }

        for (int i = 0; i < sequence.Items.Count; i++)
        {
            string item = FeatureSetPaths.Item(path, i);
            NotePosition(item, sequence.Items[i].Position);
            TimeSpan duration = TimeSpan.Zero;
            double rate = 0;
            double? to = null;
            foreach ((string key, string child, SettingNode value) in Entries(sequence.Items[i], item, StageKeys))
            {
                switch (key)
                {
                    case "duration": duration = ReadDuration(child, value) ?? duration; break;
                    case "rate": rate = ReadDouble(child, value, "rows per second") ?? rate; break;
                    default: to = ReadDouble(child, value, "rows per second"); break;
                }
            }

            stages.Add(new LoadStage(duration, rate, to ?? rate));
        }

        return stages;
    }

    private void ReadKeys(string path, SettingNode node, LoadKeys keys)
    {
        foreach ((string key, string child, SettingNode value) in Entries(node, path, KeysKeys))
        {
            switch (key)
            {
                case "distribution": keys.Distribution = ReadEnum<LoadKeyDistribution>(child, value) ?? keys.Distribution; break;
                case "keySpace": keys.KeySpace = ReadLong(child, value, "1 to 1000000000000") ?? keys.KeySpace; break;
                case "zipfExponent": keys.ZipfExponent = ReadDouble(child, value, "above 0, at most 10") ?? keys.ZipfExponent; break;
                case "hotKeyShare": keys.HotKeyShare = ReadDouble(child, value, "0 to 1") ?? keys.HotKeyShare; break;
                default: keys.HotKeys = ReadLong(child, value, "1 to the key space") ?? keys.HotKeys; break;
            }
        }
    }

    private void ReadRows(string path, SettingNode node, LoadRows rows)
    {
        foreach ((string key, string child, SettingNode value) in Entries(node, path, RowsKeys))
        {
            if (key == "features")
            {
                rows.Features = ReadInt(child, value, "1 to 1000") ?? rows.Features;
            }
            else
            {
                rows.ValueBytes = ReadInt(child, value, "0 to 1048576") ?? rows.ValueBytes;
            }
        }
    }

    private void ReadRowKey(string path, SettingNode node, LoadRowKey rowKey)
    {
        foreach ((string key, string child, SettingNode value) in Entries(node, path, RowKeyKeys))
        {
            if (key == "bucketPrefix")
            {
                rowKey.BucketPrefix = ReadBool(child, value) ?? rowKey.BucketPrefix;
            }
            else
            {
                rowKey.Buckets = ReadInt(child, value, "1 to 65536") ?? rowKey.Buckets;
            }
        }
    }

    private void ReadMeasure(string path, SettingNode node, LoadMeasure measure)
    {
        foreach ((string key, string child, SettingNode value) in Entries(node, path, MeasureKeys))
        {
            switch (key)
            {
                case "interval": measure.Interval = ReadDuration(child, value) ?? measure.Interval; break;
                case "keyRanges": measure.KeyRanges = ReadInt(child, value, "1 to 1024") ?? measure.KeyRanges; break;
                case "keyRangeSource": measure.KeyRangeSource = ReadEnum<KeyRangeSource>(child, value) ?? measure.KeyRangeSource; break;
                case "drain": measure.Drain = ReadDuration(child, value) ?? measure.Drain; break;
                default: measure.Warmup = ReadDuration(child, value) ?? measure.Warmup; break;
            }
        }
    }

    private void ReadGate(string path, SettingNode node, LoadGate gate)
    {
        foreach ((string key, string child, SettingNode value) in Entries(node, path, GateKeys))
        {
            if (key == "maxThroughputDrop")
            {
                gate.MaxThroughputDrop = ReadDouble(child, value, "0 to 1") ?? gate.MaxThroughputDrop;
            }
            else
            {
                gate.MaxP99Rise = ReadDouble(child, value, "0 to 100") ?? gate.MaxP99Rise;
            }
        }
    }
}
