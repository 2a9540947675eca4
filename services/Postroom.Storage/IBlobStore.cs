namespace Postroom.Storage;

/// <summary>
/// Stores immutable-by-convention binary objects (message bodies, attachments) under string keys.
/// Keys may contain "/" to form prefixes, e.g. <c>messages/2026/11/25/&lt;id&gt;</c>; see
/// <see cref="BlobKey"/> for what a valid key is. Invalid keys throw <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>
/// Writes are all-or-nothing: a reader sees either the previous blob or the complete new one,
/// never a partially written body. Bodies are streamed in both directions with bounded buffers.
/// </remarks>
public interface IBlobStore
{
    /// <summary>
    /// Stores <paramref name="content"/> (read to its end, length need not be known in advance)
    /// under <paramref name="key"/>, replacing any existing blob. If reading the content or writing
    /// fails, nothing becomes visible under the key (an existing blob stays as it was).
    /// </summary>
    Task<BlobInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens the whole blob for streaming reading. Dispose the stream when done.</summary>
    /// <exception cref="BlobNotFoundException">No blob has this key.</exception>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="length"/> bytes starting at <paramref name="offset"/>. A range reaching
    /// past the end is clamped to the end; an offset at or past the end yields an empty stream.
    /// </summary>
    /// <exception cref="BlobNotFoundException">No blob has this key.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Offset or length is negative.</exception>
    Task<Stream> OpenReadRangeAsync(string key, long offset, long length, CancellationToken cancellationToken);

    /// <summary>Returns the blob's metadata, or null when no blob has this key.</summary>
    Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the blob. Idempotent: returns true if it existed, false if it did not.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Lists all blobs whose key starts with <paramref name="prefix"/> (a plain string prefix, not
    /// necessarily ending in "/"; empty lists everything), in ordinal key order.
    /// </summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken);
}
