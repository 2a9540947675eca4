namespace Postroom.Queue;

/// <summary>Counts of the queue's entries at one moment.</summary>
/// <param name="Scheduled">Entries waiting for a future attempt.</param>
/// <param name="Due">Entries due now and not leased (including those whose lease expired).</param>
/// <param name="Leased">Entries under a live lease.</param>
/// <param name="OldestEntryAge">Age of the oldest entry, or null when the queue is empty.</param>
public sealed record QueueStats(long Scheduled, long Due, long Leased, TimeSpan? OldestEntryAge)
{
    /// <summary>All entries in the queue.</summary>
    public long Total => Scheduled + Due + Leased;
}
