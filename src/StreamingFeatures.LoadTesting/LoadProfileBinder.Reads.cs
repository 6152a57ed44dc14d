using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.LoadTesting;

/// <summary>The <c>reads:</c> section: its shape and keys bind as the profile's own do.</summary>
internal sealed partial class LoadProfileBinder
{
    private const long UnsetKeySpace = long.MinValue;

    private static readonly string[] ReadsKeys = ["shape", "batchSize", "keys", "features", "maxInFlight", "seed"];

    private LoadReads ReadReads(string path, SettingNode node)
    {
        // Unset stays at the sentinel and becomes the profile's key space once the whole profile is bound.
        var reads = new LoadReads { Keys = new LoadKeys { KeySpace = UnsetKeySpace } };
        foreach ((string key, string child, SettingNode value) in Entries(node, path, ReadsKeys))
        {
            switch (key)
            {
                case "shape": reads.Shape = ReadShape(child, value); break;
                case "batchSize": reads.BatchSize = ReadInt(child, value, "1 to 100000") ?? reads.BatchSize; break;
                case "keys": ReadKeys(child, value, reads.Keys); break;
                case "features": reads.Features = ReadNames(child, value); break;
                case "maxInFlight": reads.MaxInFlight = ReadInt(child, value, "1 to 10000") ?? reads.MaxInFlight; break;
                default: reads.Seed = ReadInt(child, value, "a whole number") ?? reads.Seed; break;
            }
        }

        return reads;
    }

    private static void DefaultReadKeySpace(LoadProfile profile)
    {
        if (profile.Reads is { Keys.KeySpace: UnsetKeySpace } reads)
        {
            reads.Keys.KeySpace = profile.Keys.KeySpace;
        }
    }

    private List<string> ReadNames(string path, SettingNode node)
    {
        var names = new List<string>();
        if (node is not SettingSequence sequence)
        {
            FailUnlessNull(path, node, "a list of feature names (f0, f1…)");
            return names;
        }

        for (int i = 0; i < sequence.Items.Count; i++)
        {
            string item = FeatureSetPaths.Item(path, i);
            NotePosition(item, sequence.Items[i].Position);
            if (ReadString(item, sequence.Items[i]) is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }
}
