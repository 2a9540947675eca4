using System.Net;
using Postroom.Hosting.Smtp;
using Postroom.Pop3.Session;

namespace Postroom.Hosting.Mailbox;

/// <summary>POP3's connection slots and login throttling, on the same Redis counters SMTP uses (own key prefix).</summary>
public sealed class RedisPop3RateLimiter(RedisSmtpRateLimiter limiter) : IPop3RateLimiter
{
    public Task<IAsyncDisposable?> TryAcquireConnectionAsync(IPAddress address, CancellationToken cancellationToken) =>
        limiter.TryAcquireConnectionAsync(address, cancellationToken);

    public Task<bool> IsAuthThrottledAsync(IPAddress address, CancellationToken cancellationToken) =>
        limiter.IsAuthThrottledAsync(address, cancellationToken);

    public Task RecordAuthFailureAsync(IPAddress address, CancellationToken cancellationToken) =>
        limiter.RecordAuthFailureAsync(address, cancellationToken);
}
