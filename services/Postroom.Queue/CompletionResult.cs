namespace Postroom.Queue;

/// <summary>What <see cref="IMailQueue.CompleteAsync"/> did.</summary>
public enum CompletionStatus
{
    /// <summary>Some recipients are still pending; the entry was rescheduled and the lease released.</summary>
    Rescheduled = 0,

    /// <summary>Every recipient is final; the entry left the queue.</summary>
    Finished = 1,

    /// <summary>The lease was no longer held (it expired and someone else leased the entry, or the entry was deleted); nothing was written.</summary>
    LeaseLost = 2,
}

/// <summary>The result of <see cref="IMailQueue.CompleteAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Entry">
/// The entry as written (for <see cref="CompletionStatus.Finished"/> the final entry, from which the
/// worker writes bounces and success notifications); null for <see cref="CompletionStatus.LeaseLost"/>.
/// </param>
public sealed record CompletionResult(CompletionStatus Status, QueueEntry? Entry)
{
    /// <summary>For <see cref="CompletionStatus.Rescheduled"/>: when the entry is due again.</summary>
    public DateTimeOffset? NextAttemptAt => Status == CompletionStatus.Rescheduled ? Entry?.NextAttemptAt : null;
}
