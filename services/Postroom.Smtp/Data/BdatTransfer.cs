using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Data;

/// <summary>
/// The content of one BDAT transaction (RFC 3030), streamed chunk by chunk into a single commit: the committer
/// reads one stream while each BDAT command writes its chunk into it, with back-pressure, so the whole
/// message is never held in memory.
/// </summary>
internal sealed class BdatTransfer
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
    private readonly ReceivedHeaderCounter _received;
    private readonly long _maxSize;
    private Task<string>? _commit;
    private long _size;
    private bool _writerCompleted;

    public BdatTransfer(IncomingMessage message, long maxSize, int maxReceivedHeaders)
    {
        Message = message;
        _maxSize = maxSize;
        _received = new ReceivedHeaderCounter(maxReceivedHeaders);
    }

    public IncomingMessage Message { get; }

    public long StartTimestamp { get; } = Stopwatch.GetTimestamp();

    public DataProblem Problem { get; private set; }

    /// <summary>True when the commit ended before the last chunk (storage failed or the content was refused).</summary>
    public bool Failed => Problem != DataProblem.None || _commit is { IsCompleted: true };

    public long Size => _size;

    /// <summary>Starts the commit, which reads <paramref name="header"/> then the chunks as they come.</summary>
    public void Start(Func<Stream, Task<string>> commit, byte[] header)
    {
        _commit = commit(new PrefixedStream(header, _pipe.Reader.AsStream()));
        // If the commit gives up without reading to the end, release a writer waiting on back-pressure.
        _ = _commit.ContinueWith(_ => _pipe.Reader.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Moves exactly <paramref name="size"/> octets from the connection into the message (or drops them once
    /// the transfer has failed). Returns false when the connection closed first.
    /// </summary>
    public async Task<bool> CopyChunkAsync(PipeReader input, long size, CancellationToken cancellationToken)
    {
        var remaining = size;
        while (remaining > 0)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var chunk = result.Buffer.Slice(0, Math.Min(remaining, result.Buffer.Length));
            try
            {
                if (!Failed)
                {
                    await WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                input.AdvanceTo(chunk.End);
            }

            remaining -= chunk.Length;
            if (remaining > 0 && result.IsCompleted)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Ends the content and waits for the commit; returns the queue id.</summary>
    public async Task<string> FinishAsync()
    {
        CompleteWriter(null);
        return await _commit!.ConfigureAwait(false);
    }

    /// <summary>After a failure: makes sure the commit has ended and returns why it failed.</summary>
    public async Task<Exception?> WaitForFailureAsync()
    {
        CompleteWriter(new DataRejectedException(Problem));
        try
        {
            await _commit!.ConfigureAwait(false);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Abandons the transaction: the commit sees a failed stream and commits nothing.</summary>
    public void Abort()
    {
        CompleteWriter(new OperationCanceledException("the BDAT transaction was abandoned"));
        _commit?.ContinueWith(t => t.Exception, TaskScheduler.Default);
    }

    private void CompleteWriter(Exception? error)
    {
        if (!_writerCompleted)
        {
            _writerCompleted = true;
            _pipe.Writer.Complete(error);
        }
    }

    private async Task WriteAsync(ReadOnlySequence<byte> chunk, CancellationToken cancellationToken)
    {
        _size += chunk.Length;
        foreach (var segment in chunk)
        {
            _received.Feed(segment.Span);
        }

        if (_size > _maxSize || _received.LoopDetected)
        {
            Problem = _size > _maxSize ? DataProblem.TooLarge : DataProblem.MailLoop;
            CompleteWriter(new DataRejectedException(Problem));
            return;
        }

        foreach (var segment in chunk)
        {
            await _pipe.Writer.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
        }
    }
}
