namespace Postroom.Queue;

/// <summary>
/// The durable mail queue between SMTP ingress and the delivery workers.
/// </summary>
/// <remarks>
/// <para>
/// Ingress stores the body in object storage, then calls <see cref="EnqueueAsync"/> once per
/// message and answers <c>250</c> only after it returned. Delivery workers call
/// <see cref="LeaseAsync"/>, deliver each pending recipient and report per-recipient outcomes with
/// <see cref="CompleteAsync"/>.
/// </para>
/// <para>
/// A lease is exclusive for its visibility timeout. A worker that dies simply stops renewing; once
/// the lease expires the entry is due again and exactly one later <see cref="LeaseAsync"/> call gets
/// it. Completion is fenced by the lease token: a worker whose lease was taken over gets
/// <see cref="CompletionStatus.LeaseLost"/> and changes nothing. Delivery is therefore at least once
/// per recipient (a worker that dies after delivering but before completing causes a repeat).
/// </para>
/// </remarks>
public interface IMailQueue
{
    /// <summary>
    /// Stores a new entry atomically with every recipient <see cref="RecipientStatus.Scheduled"/>,
    /// due at <see cref="NewQueueEntry.NotBefore"/> (default now). Returns only once the entry is
    /// durable as configured (see the implementation's durability notes).
    /// </summary>
    Task<QueueId> EnqueueAsync(NewQueueEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="max"/> due entries (next attempt at or before now, or whose
    /// previous lease expired) for <paramref name="visibilityTimeout"/>. Returns an empty list when
    /// nothing is due. Each returned entry's <see cref="QueueEntry.LeaseCount"/> includes this lease.
    /// </summary>
    Task<IReadOnlyList<QueueLease>> LeaseAsync(int max, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends a lease to now + <paramref name="visibilityTimeout"/>. Returns false when the lease is
    /// no longer held (taken over by another worker, completed, or the entry was deleted). A lease
    /// that expired but was not taken over yet can still be renewed.
    /// </summary>
    Task<bool> RenewLeaseAsync(QueueLease lease, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the outcomes of a delivery attempt and releases the lease. Outcomes refer to
    /// recipients by index; recipients not mentioned keep their state, and outcomes for recipients
    /// that are already final are ignored. A temporary failure due after the entry's
    /// <see cref="QueueEntry.ExpiresAt"/> becomes <see cref="RecipientStatus.Expired"/>. When every
    /// recipient is final the entry leaves the queue (<see cref="CompletionStatus.Finished"/>);
    /// otherwise it is due again at the earliest next attempt of its pending recipients.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An outcome's index is not a recipient of the entry.</exception>
    /// <exception cref="ArgumentException">Two outcomes name the same recipient.</exception>
    Task<CompletionResult> CompleteAsync(QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes, CancellationToken cancellationToken = default);

    /// <summary>Reads one entry, or null when it is not (or no longer) queued.</summary>
    Task<QueueEntry?> GetAsync(QueueId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Enumerates all entries page by page (never the whole queue in memory). Entries added or
    /// removed during the enumeration may or may not be seen; no entry is seen twice.
    /// </summary>
    IAsyncEnumerable<QueueEntry> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes every scheduled (not leased) entry due now, and its pending recipients with it, like
    /// qmail's <c>kill -ALRM</c> or <c>postqueue -f</c>. Returns how many entries were moved.
    /// </summary>
    Task<long> FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes an entry whatever its state (a current lessee then gets <see cref="CompletionStatus.LeaseLost"/>).
    /// Returns false when it was not queued. The body in object storage is the caller's to delete.
    /// </summary>
    Task<bool> DeleteAsync(QueueId id, CancellationToken cancellationToken = default);

    /// <summary>Counts entries by state.</summary>
    Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default);
}
