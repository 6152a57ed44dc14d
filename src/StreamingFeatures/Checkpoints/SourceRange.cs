namespace StreamingFeatures.Checkpoints;

/// <summary>Source rows <c>[Start, End)</c> of one partition that are done, with what became of them.</summary>
public readonly record struct SourceRange(int Partition, long Start, long End, RowStats Stats)
{
    public long Count => End - Start;
}
