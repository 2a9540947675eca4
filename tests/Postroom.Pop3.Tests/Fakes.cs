using System.Collections.Concurrent;
using System.Net;
using Postroom.Pop3.Session;

namespace Postroom.Pop3.Tests;

/// <summary>Counts in memory with fixed limits; a Redis-backed limiter is tested against real Redis.</summary>
internal sealed class InMemoryRateLimiter : IPop3RateLimiter
{
    private readonly ConcurrentDictionary<IPAddress, int> _connections = new();
    private readonly ConcurrentDictionary<IPAddress, int> _authFailures = new();

    public int MaxConnectionsPerIp { get; set; } = 10;

    public int MaxAuthFailures { get; set; } = 3;

    public Task<IAsyncDisposable?> TryAcquireConnectionAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var count = _connections.AddOrUpdate(address, 1, (_, c) => c + 1);
        if (count > MaxConnectionsPerIp)
        {
            _connections.AddOrUpdate(address, 0, (_, c) => c - 1);
            return Task.FromResult<IAsyncDisposable?>(null);
        }

        return Task.FromResult<IAsyncDisposable?>(new Release(() => _connections.AddOrUpdate(address, 0, (_, c) => c - 1)));
    }

    public Task<bool> IsAuthThrottledAsync(IPAddress address, CancellationToken cancellationToken) =>
        Task.FromResult(_authFailures.GetValueOrDefault(address) >= MaxAuthFailures);

    public Task RecordAuthFailureAsync(IPAddress address, CancellationToken cancellationToken)
    {
        _authFailures.AddOrUpdate(address, 1, (_, c) => c + 1);
        return Task.CompletedTask;
    }

    private sealed class Release(Action release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            release();
            return ValueTask.CompletedTask;
        }
    }
}
