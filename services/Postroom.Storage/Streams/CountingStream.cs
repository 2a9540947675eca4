namespace Postroom.Storage.Streams;

/// <summary>
/// Passes reads through and counts the bytes, so a put of unknown length can report the length it
/// stored without asking the server. Throws once the inner stream proves longer than a limit:
/// on reaching the limit exactly it reads one byte ahead, because a consumer that stops at the
/// limit (the Minio SDK after its last allowed part) would otherwise silently store a truncated body.
/// </summary>
internal sealed class CountingStream : ReadOnlyStreamBase
{
    private readonly Stream _inner;
    private readonly long _limit;

    public CountingStream(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer[..ClampToLimit(buffer.Length)]);
        BytesRead += read;
        if (BytesRead == _limit && read > 0 && _inner.Read(new byte[1]) > 0)
        {
            throw TooLong();
        }

        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer[..ClampToLimit(buffer.Length)], cancellationToken).ConfigureAwait(false);
        BytesRead += read;
        if (BytesRead == _limit && read > 0 && await _inner.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
        {
            throw TooLong();
        }

        return read;
    }

    private int ClampToLimit(int requested) => (int)Math.Min(requested, _limit - BytesRead);

    private static IOException TooLong() => new("The content is longer than the store's maximum blob length.");
}
