namespace Postroom.Storage.Streams;

/// <summary>
/// Reads an already-read head (held in memory) and then the rest of the source stream. Lets a put
/// peek at the first bytes to choose single-request or multipart upload without seeking.
/// </summary>
internal sealed class PrefixedStream : ReadOnlyStreamBase
{
    private readonly ReadOnlyMemory<byte> _head;
    private readonly Stream _rest;
    private int _headPosition;

    public PrefixedStream(ReadOnlyMemory<byte> head, Stream rest)
    {
        _head = head;
        _rest = rest;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_headPosition < _head.Length)
        {
            return CopyFromHead(buffer);
        }

        return _rest.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headPosition < _head.Length)
        {
            return ValueTask.FromResult(CopyFromHead(buffer.Span));
        }

        return _rest.ReadAsync(buffer, cancellationToken);
    }

    private int CopyFromHead(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _head.Length - _headPosition);
        _head.Span.Slice(_headPosition, count).CopyTo(buffer);
        _headPosition += count;
        return count;
    }
}
