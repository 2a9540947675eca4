namespace Postroom.Queue;

/// <summary>One recipient of a <see cref="QueueEntry"/> with its delivery state.</summary>
/// <param name="Index">Position of the recipient in the entry (0-based); outcomes refer to it.</param>
/// <param name="Recipient">The recipient as accepted.</param>
/// <param name="State">Its delivery state.</param>
public sealed record QueueEntryRecipient(int Index, QueuedRecipient Recipient, RecipientState State);

/// <summary>A snapshot of one queued message and the state of each of its recipients.</summary>
public sealed record QueueEntry
{
    /// <summary>The entry's id.</summary>
    public required QueueId Id { get; init; }

    /// <summary>Sender, body location and DSN parameters.</summary>
    public required Envelope Envelope { get; init; }

    /// <summary>The recipients in RCPT TO order, each with its state.</summary>
    public required IReadOnlyList<QueueEntryRecipient> Recipients { get; init; }

    /// <summary>When the entry was queued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The end of the entry's queue lifetime: a temporary failure whose retry would fall after it
    /// becomes <see cref="RecipientStatus.Expired"/>.
    /// </summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>How many times the entry was leased (1 while its first lease is held).</summary>
    public required int LeaseCount { get; init; }

    /// <summary>When the entry is due for its next lease; null while leased.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When the current lease runs out; null when not leased. A past value means the lease expired.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>True when every recipient is final.</summary>
    public bool IsFinished => Recipients.All(r => r.State.IsFinal);
}

/// <summary>What <see cref="IMailQueue.EnqueueAsync"/> stores.</summary>
public sealed record NewQueueEntry
{
    /// <summary>Sender, body location and DSN parameters.</summary>
    public required Envelope Envelope { get; init; }

    /// <summary>The recipients in RCPT TO order (at least one).</summary>
    public required IReadOnlyList<QueuedRecipient> Recipients { get; init; }

    /// <summary>
    /// The id to use, e.g. one made earlier with <see cref="QueueId.New(TimeProvider?)"/> to name the body
    /// in object storage. Null makes a new one. Enqueueing an id that is already queued stores nothing
    /// and returns the id, so a retried enqueue (after a timeout) never duplicates the entry.
    /// </summary>
    public QueueId? Id { get; init; }

    /// <summary>When the first attempt is due; null means now.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The queue lifetime; null means the queue's default (7 days unless configured).</summary>
    public TimeSpan? Lifetime { get; init; }
}
