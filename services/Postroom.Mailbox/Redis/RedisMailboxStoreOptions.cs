namespace Postroom.Mailbox.Redis;

/// <summary>Settings of <see cref="RedisMailboxStore"/>.</summary>
public sealed class RedisMailboxStoreOptions
{
    /// <summary>The prefix of every key and channel.</summary>
    public string KeyPrefix { get; set; } = "postroom:mbx";

    /// <summary>The Redis database number (-1: the connection's default).</summary>
    public int Database { get; set; } = -1;

    /// <summary>How long an append's idempotency key is remembered.</summary>
    public TimeSpan IdempotencyTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Messages handled per script call by STORE, EXPUNGE, COPY/MOVE and purges, so that no script
    /// holds the server for long on a mailbox of 100,000 messages.
    /// </summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Messages per append script in <see cref="RedisMailboxStore.AppendBatchAsync"/>.</summary>
    public int AppendBatchSize { get; set; } = 200;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(KeyPrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(AppendBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(IdempotencyTtl, TimeSpan.FromSeconds(1));
    }
}
