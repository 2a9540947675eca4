namespace Postroom.Storage.Streams;

/// <summary>
/// Reads at most a given number of bytes from an inner stream (a ranged read of a file opened at an
/// offset), and disposes the inner stream and an optional owner with itself.
/// </summary>
internal sealed class LengthLimitedStream : ReadOnlyStreamBase
{
    private readonly Stream _inner;
    private readonly IDisposable? _owner;
    private long _remaining;

    public LengthLimitedStream(Stream inner, long length, IDisposable? owner = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _inner = inner;
        _remaining = length;
        _owner = owner;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var read = _inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        _remaining -= read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await _inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        _remaining -= read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _owner?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _owner?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
