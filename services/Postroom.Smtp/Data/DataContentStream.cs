using System.Buffers;
using System.IO.Pipelines;

namespace Postroom.Smtp.Data;

/// <summary>
/// The message content of one DATA command as a read-only stream over the connection's pipe, decoded as it
/// is read, so a body goes from the socket to object storage without ever being whole in memory. It ends
/// at the end-of-data marker; a refused message or a dropped connection makes reading throw, so the blob
/// store discards what it had written.
/// </summary>
internal sealed class DataContentStream(PipeReader input, DataDecoder decoder) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => decoder.ContentLength;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length < 3)
        {
            throw new ArgumentException("read buffers must hold at least 3 bytes", nameof(buffer));
        }

        while (!decoder.IsComplete)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var written = DecodeInto(result.Buffer, buffer.Span, out var consumed);
            input.AdvanceTo(consumed, decoder.IsComplete || written > 0 ? consumed : result.Buffer.End);
            if (decoder.Problem != DataProblem.None)
            {
                throw new DataRejectedException(decoder.Problem);
            }

            if (written > 0)
            {
                return written;
            }

            if (result.IsCompleted && !decoder.IsComplete)
            {
                throw new IOException("the client closed the connection inside DATA");
            }
        }

        return 0;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("DATA content is read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>
    /// Reads and drops the rest of the content up to the end marker, so the session stays in step after a
    /// refused message. Returns false when the connection closed first.
    /// </summary>
    public async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (!decoder.IsComplete)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                DecodeInto(result.Buffer, scratch, out var consumed);
                input.AdvanceTo(consumed, decoder.IsComplete ? consumed : result.Buffer.End);
                if (result.IsCompleted && !decoder.IsComplete)
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private int DecodeInto(ReadOnlySequence<byte> source, Span<byte> destination, out SequencePosition consumed)
    {
        var written = 0;
        consumed = source.Start;
        foreach (var segment in source)
        {
            var done = decoder.Decode(segment.Span, destination[written..], out var used, out var wrote);
            written += wrote;
            consumed = source.GetPosition(used, consumed);
            if (done || used < segment.Length || destination.Length - written < 3)
            {
                break;
            }
        }

        return written;
    }
}

/// <summary>The message content broke a rule; the session replies once the end marker is read.</summary>
internal sealed class DataRejectedException(DataProblem problem) : Exception($"message refused: {problem}")
{
    public DataProblem Problem { get; } = problem;
}
