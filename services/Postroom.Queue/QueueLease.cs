namespace Postroom.Queue;

/// <summary>
/// An entry leased to one worker: until <see cref="ExpiresAt"/> no other caller can lease it, and
/// only the holder of <see cref="Token"/> can complete it.
/// </summary>
public sealed record QueueLease
{
    internal QueueLease(QueueEntry entry, string token, DateTimeOffset expiresAt)
    {
        Entry = entry;
        Token = token;
        ExpiresAt = expiresAt;
    }

    /// <summary>The entry as it was when leased.</summary>
    public QueueEntry Entry { get; }

    /// <summary>The entry's id.</summary>
    public QueueId Id => Entry.Id;

    /// <summary>Unique to this lease; fences completion against later lessees.</summary>
    public string Token { get; }

    /// <summary>When the lease runs out unless renewed (renewals do not update this snapshot).</summary>
    public DateTimeOffset ExpiresAt { get; }
}
