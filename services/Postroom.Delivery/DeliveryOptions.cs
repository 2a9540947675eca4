namespace Postroom.Delivery;

/// <summary>Settings of the delivery worker (section <c>Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    /// <summary>Entries leased per batch (default 16).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>How long a lease hides an entry from other workers (default 5 minutes).</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Local deliveries (mailbox appends) in flight at once per worker, qmail's <c>concurrencylocal</c>
    /// (default 8). Per worker, not across replicas yet.
    /// </summary>
    public int MaxConcurrentLocal { get; set; } = 8;

    /// <summary>Pause before the next lease when nothing was due (default 200 ms).</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Pause after the queue itself failed (default 2 s).</summary>
    public TimeSpan ErrorDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How much of the body is read to find the header section for loop detection (default 64 KiB).
    /// A header section longer than this is scanned only up to the limit.
    /// </summary>
    public int HeaderScanLimit { get; set; } = 64 * 1024;

    /// <summary>
    /// Delay before the next attempt after the n-th temporary failure of a recipient; the last value
    /// repeats. The queue's lifetime (default 7 days) ends the retries.
    /// </summary>
    public IReadOnlyList<TimeSpan> RetrySchedule { get; set; } =
    [
        TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(4),
        TimeSpan.FromHours(8),
    ];

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentLocal, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(VisibilityTimeout, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(HeaderScanLimit, 1024);
        if (RetrySchedule.Count == 0 || RetrySchedule.Any(d => d <= TimeSpan.Zero))
        {
            throw new ArgumentException("The retry schedule needs at least one positive delay.", nameof(RetrySchedule));
        }
    }

    /// <summary>The delay after a recipient's <paramref name="failedAttempts"/>-th failure (0-based: the first failure uses the first value).</summary>
    public TimeSpan RetryDelay(int failedAttempts) => RetrySchedule[Math.Clamp(failedAttempts, 0, RetrySchedule.Count - 1)];
}
