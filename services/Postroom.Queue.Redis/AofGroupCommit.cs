using StackExchange.Redis;

namespace Postroom.Queue;

/// <summary>
/// Group commit over Garnet's <c>COMMITAOF</c>, which returns once the append-only file is committed up to
/// its tail. Callers that arrive while a commit runs join the next one, so one disk commit covers every
/// write in flight instead of one commit per write.
/// </summary>
/// <remarks>
/// Correctness: a caller's write completed before it called <see cref="WaitDurableAsync"/>; it then joins a
/// batch that has not been started, and a batch's <c>COMMITAOF</c> is sent only after the batch is closed,
/// so that commit starts after the write and covers it. <c>COMMITAOF</c> blocks its connection on the
/// server, so the barrier gets a connection of its own.
/// </remarks>
public sealed class AofGroupCommit(IConnectionMultiplexer dedicatedConnection) : IDurabilityBarrier
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _open;
    private bool _committing;

    public Task WaitDurableAsync(CancellationToken cancellationToken)
    {
        Task batch;
        var start = false;
        lock (_gate)
        {
            _open ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            batch = _open.Task;
            if (!_committing)
            {
                _committing = true;
                start = true;
            }
        }

        if (start)
        {
            _ = Task.Run(CommitLoopAsync, CancellationToken.None);
        }

        return batch.WaitAsync(cancellationToken);
    }

    /// <summary>Commits batch after batch until nobody is waiting.</summary>
    private async Task CommitLoopAsync()
    {
        var db = dedicatedConnection.GetDatabase();
        while (true)
        {
            TaskCompletionSource batch;
            lock (_gate)
            {
                if (_open is null)
                {
                    _committing = false;
                    return;
                }

                batch = _open;
                _open = null;
            }

            try
            {
                await db.ExecuteAsync("COMMITAOF").ConfigureAwait(false);
                batch.SetResult();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                batch.SetException(new QueueDurabilityException($"The append-only file could not be committed: {e.Message}", e));
            }
        }
    }
}
