using System.Net;

namespace Postroom.Smtp.Session;

/// <summary>
/// Limits that must hold across every replica (so they live in Redis in a deployment): concurrent
/// connections per IP, message rates per IP and per user, and AUTH failure throttling.
/// </summary>
public interface ISmtpRateLimiter
{
    /// <summary>Takes a connection slot for the IP; null when the IP already has too many. Dispose to release.</summary>
    Task<IAsyncDisposable?> TryAcquireConnectionAsync(IPAddress address, CancellationToken cancellationToken);

    /// <summary>Counts one message from the IP (and the user, when authenticated); false when over the rate.</summary>
    Task<bool> TryCountMessageAsync(IPAddress address, string? user, CancellationToken cancellationToken);

    /// <summary>True while the IP has failed AUTH too often recently.</summary>
    Task<bool> IsAuthThrottledAsync(IPAddress address, CancellationToken cancellationToken);

    Task RecordAuthFailureAsync(IPAddress address, CancellationToken cancellationToken);
}
