using System.Collections.Concurrent;
using System.Net;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Tests;

/// <summary>Keeps committed messages in memory; for unit tests of the protocol engine only.</summary>
internal sealed class InMemoryCommitter : IMessageCommitter
{
    private int _next;
    private int _nextMessage;

    public ConcurrentQueue<(IncomingMessage Message, byte[] Content)> Committed { get; } = new();

    /// <summary>When set, the commit reads the content and then fails, as a storage outage would.</summary>
    public bool FailAfterReading { get; set; }

    public string NewMessageId() => $"M{Interlocked.Increment(ref _nextMessage)}";

    public async Task<string> CommitAsync(IncomingMessage message, Stream content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        if (FailAfterReading)
        {
            throw new IOException("storage unavailable");
        }

        var id = $"Q{Interlocked.Increment(ref _next)}";
        Committed.Enqueue((message, buffer.ToArray()));
        return id;
    }
}

/// <summary>Counts in memory with fixed limits; the Redis-backed limiter is tested against real Redis.</summary>
internal sealed class InMemoryRateLimiter : ISmtpRateLimiter
{
    private readonly ConcurrentDictionary<IPAddress, int> _connections = new();
    private readonly ConcurrentDictionary<string, int> _messages = new();
    private readonly ConcurrentDictionary<IPAddress, int> _authFailures = new();

    public int MaxConnectionsPerIp { get; set; } = 10;

    public int MaxMessagesPerIp { get; set; } = 1000;

    public int MaxAuthFailures { get; set; } = 3;

    /// <summary>When set, counting a message fails as it would with Redis unreachable.</summary>
    public bool Unavailable { get; set; }

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

    public Task<bool> TryCountMessageAsync(IPAddress address, string? user, CancellationToken cancellationToken) =>
        Unavailable ? throw new TimeoutException("redis unreachable") : Task.FromResult(_messages.AddOrUpdate(address.ToString(), 1, (_, c) => c + 1) <= MaxMessagesPerIp);

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
