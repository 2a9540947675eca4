namespace Postroom.Storage.Tests;

/// <summary>
/// A non-seekable stream of unknown length that generates deterministic pseudo-random bytes, so
/// large bodies can be put without holding them in memory and any range can be recomputed.
/// Optionally throws after a number of bytes, to simulate a source that fails mid-upload.
/// </summary>
public sealed class GeneratedStream : Stream
{
    private readonly long _length;
    private readonly ulong _seed;
    private readonly long? _failAfter;
    private long _position;

    public GeneratedStream(long length, ulong seed, long? failAfter = null)
    {
        _length = length;
        _seed = seed;
        _failAfter = failAfter;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("The length is unknown to the reader.");

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The byte at <paramref name="position"/> of the stream with <paramref name="seed"/>.</summary>
    public static byte ByteAt(ulong seed, long position) =>
        (byte)(Mix(seed ^ (ulong)(position >> 3)) >> (int)((position & 7) * 8));

    /// <summary>The bytes [offset, offset + count) of the stream with <paramref name="seed"/>.</summary>
    public static byte[] Expected(ulong seed, long offset, int count)
    {
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bytes[i] = ByteAt(seed, offset + i);
        }

        return bytes;
    }

    /// <summary>SHA-256 of the first <paramref name="length"/> bytes.</summary>
    public static byte[] Sha256(ulong seed, long length)
    {
        using var stream = new GeneratedStream(length, seed);
        return System.Security.Cryptography.SHA256.HashData(stream);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_failAfter is { } failAfter && _position >= failAfter)
        {
            throw new IOException("Simulated failure of the source stream.");
        }

        var limit = _failAfter is { } f ? Math.Min(_length, f) : _length;
        var count = (int)Math.Min(buffer.Length, limit - _position);
        for (var i = 0; i < count; i++)
        {
            buffer[i] = ByteAt(_seed, _position + i);
        }

        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // splitmix64: cheap, well-mixed bytes.
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
