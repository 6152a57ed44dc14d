namespace StreamingFeatures.Checkpoints;

/// <summary>
/// A read session that expired and the one created in its place at the same snapshot. The new session's streams split
/// the table differently, so no offset of the old one applies: a shard reads its share of the new session from the
/// start, and <see cref="RowsReadAgain"/> counts the rows it had read of the expired one (read again within the new
/// one; writes are idempotent, so they write the same cells).
/// </summary>
/// <param name="Generation">The new session's generation (the first session is 0).</param>
/// <param name="ExpiredSession">The session that expired.</param>
/// <param name="ExpiredAt">When it expired (its expire time, else when a read found it expired).</param>
/// <param name="NewSession">The session created in its place.</param>
/// <param name="RenewedBy">The shard (or "the job") that created it.</param>
/// <param name="RenewedAt">When it was recorded.</param>
/// <param name="RowsReadAgain">Rows this shard had read of the expired session (0 in a shard plan).</param>
public sealed record SessionRenewal(int Generation, string ExpiredSession, DateTimeOffset? ExpiredAt, string NewSession, string RenewedBy, DateTimeOffset RenewedAt, long RowsReadAgain = 0);
