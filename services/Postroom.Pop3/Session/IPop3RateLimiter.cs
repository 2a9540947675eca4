using System.Net;

namespace Postroom.Pop3.Session;

/// <summary>
/// Limits that must hold across every replica (so they live in Redis in a deployment): concurrent connections
/// per IP and AUTH failure throttling.
/// </summary>
public interface IPop3RateLimiter
{
    /// <summary>Takes a connection slot for the IP; null when the IP already has too many. Dispose to release.</summary>
    Task<IAsyncDisposable?> TryAcquireConnectionAsync(IPAddress address, CancellationToken cancellationToken);

    /// <summary>True while the IP has failed to log in too often recently.</summary>
    Task<bool> IsAuthThrottledAsync(IPAddress address, CancellationToken cancellationToken);

    Task RecordAuthFailureAsync(IPAddress address, CancellationToken cancellationToken);
}
