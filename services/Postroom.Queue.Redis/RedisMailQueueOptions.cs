namespace Postroom.Queue;

/// <summary>Settings of <see cref="RedisMailQueue"/>.</summary>
/// <remarks>
/// <para>
/// <b>Durability.</b> A write acknowledged by Redis is only as durable as the server's
/// persistence. For "acknowledged means stored" run Redis with <c>appendonly yes</c> and
/// <c>appendfsync always</c> (the reply is sent after the AOF write is fsynced), and/or set
/// <see cref="WaitForReplicas"/> so every enqueue and completion is confirmed by that many
/// replicas with <c>WAIT</c> before it returns. Embedded Garnet gets the same guarantee from
/// its AOF with per-operation commit and wait-for-commit (see <c>DURABILITY.md</c>); Garnet
/// has no <c>WAIT</c>, so keep <see cref="WaitForReplicas"/> at 0 there.
/// </para>
/// <para>
/// <c>WAIT</c> covers every earlier write of the connection and blocks that connection until
/// the replicas answer or <see cref="WaitTimeout"/> passes, so give the queue its own
/// <c>ConnectionMultiplexer</c> when using it.
/// </para>
/// </remarks>
public sealed class RedisMailQueueOptions
{
    /// <summary>
    /// Prefix of every key, default <c>postroom:queue</c>. Must not contain <c>{</c> or <c>}</c>:
    /// keys are <c>&lt;prefix&gt;:{pN}:...</c> where <c>{pN}</c> is the partition's hash tag.
    /// </summary>
    public string KeyPrefix { get; set; } = "postroom:queue";

    /// <summary>
    /// Number of partitions (default 1). Each partition is a separate set of keys with its own
    /// hash tag, so on Redis Cluster the queue spreads over shards; on one server 1 is fastest.
    /// Part of the data layout: the queue refuses to start against data written with another
    /// count (drain the queue to change it).
    /// </summary>
    public int PartitionCount { get; set; } = 1;

    /// <summary>Queue lifetime of entries that do not set their own (default 7 days).</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// When above 0, every enqueue, completion and delete is followed by <c>WAIT n timeout</c>,
    /// and fails with <see cref="QueueDurabilityException"/> unless n replicas acknowledged it.
    /// </summary>
    public int WaitForReplicas { get; set; }

    /// <summary>How long <c>WAIT</c> waits for the replicas (default 1 s).</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The Redis database number; -1 (default) is the connection's default.</summary>
    public int Database { get; set; } = -1;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(KeyPrefix);
        if (KeyPrefix.Contains('{', StringComparison.Ordinal) || KeyPrefix.Contains('}', StringComparison.Ordinal))
        {
            throw new ArgumentException("The key prefix must not contain '{' or '}'.", nameof(KeyPrefix));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(PartitionCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PartitionCount, 16384);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DefaultLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(WaitForReplicas);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WaitTimeout, TimeSpan.Zero);
    }
}
