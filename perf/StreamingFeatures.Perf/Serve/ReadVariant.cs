namespace StreamingFeatures.Perf.Serve;

/// <summary>One way of reading a batch of entities' features; every variant reads the same pre-drawn batches.</summary>
internal interface IReadVariant
{
    /// <summary>The name the report uses: bareReadRows, featureReader, grpc or rest.</summary>
    string Name { get; }

    /// <summary>True when the answer counts distinct rows (the bare loop), false when it counts every requested entity.</summary>
    bool CountsDistinct { get; }

    /// <summary>Reads batch <paramref name="batch"/> of <paramref name="keys"/>; returns the entities answered with a row.</summary>
    Task<int> ReadAsync(ServeKeys keys, int batch, CancellationToken cancellationToken);
}

/// <summary>
/// The batches of one batch size: entities drawn uniformly (fixed seed) from the loaded ones, so every key has a
/// row. A variant cycles through them; all variants read the same ones.
/// </summary>
internal sealed class ServeKeys
{
    private const int Seed = 16;

    private ServeKeys(int batchSize, string[][] batches)
    {
        BatchSize = batchSize;
        Batches = batches;
    }

    public int BatchSize { get; }

    /// <summary>Entity ids, per batch, in request order (duplicates possible, as in real traffic).</summary>
    public string[][] Batches { get; }

    /// <summary>Enough batches that the 100-key ones touch most of a 100,000-entity table: 4,096 of 1 to 100 keys.</summary>
    public static ServeKeys Draw(int batchSize, long entities, int batchCount = 4_096)
    {
        var random = new Random(Seed + batchSize);
        var batches = new string[batchCount][];
        for (int b = 0; b < batchCount; b++)
        {
            batches[b] = new string[batchSize];
            for (int i = 0; i < batchSize; i++)
            {
                batches[b][i] = Sources.Synthetic.SyntheticSource.EntityId(random.NextInt64(entities));
            }
        }

        return new ServeKeys(batchSize, batches);
    }

    /// <summary>Distinct entities of <paramref name="batch"/>: what a variant must find rows for.</summary>
    public int Distinct(int batch) => Batches[batch].Distinct(StringComparer.Ordinal).Count();
}
