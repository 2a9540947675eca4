using System.Collections.Concurrent;

namespace Postroom.Pop3.Session;

/// <summary>
/// The exclusive-access lock on a maildrop that RFC 1939 §4 asks for: one POP3 session per user at a time,
/// so message numbers and deletions of two sessions never mix. Across replicas it lives in Redis.
/// </summary>
public interface IMaildropLocks
{
    /// <summary>Locks the user's maildrop; null when another session holds it. Dispose to release.</summary>
    Task<IAsyncDisposable?> TryLockAsync(string user, CancellationToken cancellationToken);
}

/// <summary>Maildrop locks within one process (a single replica, and tests).</summary>
public sealed class InProcessMaildropLocks : IMaildropLocks
{
    private readonly ConcurrentDictionary<string, object> _held = new(StringComparer.OrdinalIgnoreCase);

    public Task<IAsyncDisposable?> TryLockAsync(string user, CancellationToken cancellationToken)
    {
        var token = new object();
        if (!_held.TryAdd(user, token))
        {
            return Task.FromResult<IAsyncDisposable?>(null);
        }

        return Task.FromResult<IAsyncDisposable?>(new Release(() => _held.TryRemove(new KeyValuePair<string, object>(user, token))));
    }

    private sealed class Release(Action release) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
