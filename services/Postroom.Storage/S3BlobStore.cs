using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using Postroom.Storage.Streams;

namespace Postroom.Storage;

/// <summary>
/// A blob store on an S3-compatible service, through the Minio SDK (7.0.0).
/// </summary>
/// <remarks>
/// <para>Puts of bodies shorter than <see cref="SinglePutLimit"/> (nearly every mail) are one PUT
/// request. Longer or unknown-length bodies go through the SDK's multipart upload with unknown size
/// (<c>WithObjectSize(-1)</c>), which Minio 7.0.0 supports: it reads and uploads 16 MiB parts one
/// at a time, so memory stays bounded, and S3 makes the object visible only when the upload is
/// completed. If the upload fails (the source stream throws, the request is cancelled), the SDK
/// leaves the incomplete upload behind; this store aborts it, so its parts don't linger (see
/// <see cref="S3RequestSigner"/> for why that takes a hand-signed request).</para>
/// <para>Reads go through presigned GET URLs fetched with this store's own HttpClient, see
/// <see cref="OpenReadRangeAsync"/>.</para>
/// <para>S3 deletes are idempotent and don't say whether the object existed, so
/// <see cref="DeleteAsync"/> stats first; two concurrent deletes of one key may both return true.</para>
/// </remarks>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>
    /// Bodies shorter than this are sent as one PUT. It is the SDK's own threshold: from 5 MiB on,
    /// it uploads multipart even when the size is known.
    /// </summary>
    public const int SinglePutLimit = 5 * 1024 * 1024;

    /// <summary>
    /// The longest body a put accepts: the SDK uploads an unknown-length body in at most 3125
    /// parts of 16 MiB and would silently drop anything beyond, so a longer body fails instead.
    /// </summary>
    public const long MaxBlobLength = 3125L * 16 * 1024 * 1024;

    // Presigned URLs are used at once; a short expiry keeps a leaked URL useless.
    private const int PresignExpirySeconds = 300;

    private readonly IMinioClient _minio;
    private readonly HttpClient _http;
    private readonly S3RequestSigner _signer;
    private readonly string _bucket;

    public S3BlobStore(S3BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            throw new ArgumentException("Endpoint must be set.", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            throw new ArgumentException("Bucket must be set.", nameof(options));
        }

        _bucket = options.Bucket;
        _minio = new MinioClient()
            .WithEndpoint(options.Endpoint)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithSSL(options.UseTls)
            .WithRegion(options.Region)
            .WithTimeout((int)options.RequestTimeout.TotalMilliseconds)
            .Build();
        _signer = new S3RequestSigner(
            new Uri((options.UseTls ? "https://" : "http://") + options.Endpoint),
            options.AccessKey,
            options.SecretKey,
            options.Region);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            // Bounds the wait for response headers only: reads use ResponseHeadersRead, and a body
            // stream may stay open as long as its reader needs.
            Timeout = options.RequestTimeout,
        };
    }

    /// <summary>The bucket this store keeps its blobs in.</summary>
    public string Bucket => _bucket;

    /// <summary>Creates the bucket unless it exists. Call once at startup.</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        var exists = await _minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken).ConfigureAwait(false);
        if (!exists)
        {
            await _minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(_bucket), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<BlobInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        BlobKey.Validate(key);
        ArgumentNullException.ThrowIfNull(content);

        var head = ArrayPool<byte>.Shared.Rent(SinglePutLimit);
        try
        {
            var headLength = await content.ReadAtLeastAsync(head.AsMemory(0, SinglePutLimit), SinglePutLimit, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            if (headLength < SinglePutLimit)
            {
                // The whole body is in hand: one PUT with a known length.
                using var body = new MemoryStream(head, 0, headLength, writable: false);
                var single = await _minio.PutObjectAsync(
                    new PutObjectArgs().WithBucket(_bucket).WithObject(key).WithStreamData(body).WithObjectSize(headLength),
                    cancellationToken).ConfigureAwait(false);
                return new BlobInfo(key, headLength, LastModified: null, TrimQuotes(single.Etag));
            }

            var rest = new CountingStream(content, MaxBlobLength - headLength);
            var whole = new PrefixedStream(head.AsMemory(0, headLength), rest);
            try
            {
                var multipart = await _minio.PutObjectAsync(
                    new PutObjectArgs().WithBucket(_bucket).WithObject(key).WithStreamData(whole).WithObjectSize(-1),
                    cancellationToken).ConfigureAwait(false);
                return new BlobInfo(key, headLength + rest.BytesRead, LastModified: null, TrimQuotes(multipart.Etag));
            }
            catch
            {
                await AbortIncompleteUploadsAsync(key).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        BlobKey.Validate(key);
        return GetAsync(key, range: null, cancellationToken);
    }

    /// <remarks>
    /// <para>Minio 7.0.0's ranged GetObject is broken against every server (minio-dotnet issue 1342,
    /// fixed after 7.0.0, which is the only version our package feed serves), so ranges are read
    /// through a presigned GET URL with an HTTP Range header. Whole reads go the same way: it is one
    /// request (the SDK's GetObject stats first), and the response body can be handed out as a
    /// stream, where the SDK only lends it to a callback. Once a fixed Minio is available, this can
    /// go back to <c>GetObjectAsync</c> with <c>WithOffsetAndLength</c>.</para>
    /// <para>A range past the end is clamped (S3 does that); an offset at or past the end returns an
    /// empty stream (the server's 416 Range Not Satisfiable, which also proves the blob exists).
    /// A zero length also returns an empty stream, after a stat to report a missing blob.</para>
    /// </remarks>
    public async Task<Stream> OpenReadRangeAsync(string key, long offset, long length, CancellationToken cancellationToken)
    {
        BlobKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0)
        {
            // A Range header cannot ask for zero bytes.
            _ = await StatAsync(key, cancellationToken).ConfigureAwait(false) ?? throw BlobNotFoundException.ForKey(key);
            return new MemoryStream([], writable: false);
        }

        var last = length > long.MaxValue - offset ? long.MaxValue : offset + length - 1;
        return await GetAsync(key, (offset, last), cancellationToken).ConfigureAwait(false);
    }

    public async Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        BlobKey.Validate(key);
        try
        {
            var stat = await _minio.StatObjectAsync(new StatObjectArgs().WithBucket(_bucket).WithObject(key), cancellationToken).ConfigureAwait(false);
            return new BlobInfo(key, stat.Size, new DateTimeOffset(DateTime.SpecifyKind(stat.LastModified, DateTimeKind.Utc)), TrimQuotes(stat.ETag));
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (await StatAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await _minio.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(_bucket).WithObject(key), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobKey.ValidatePrefix(prefix);
        var args = new ListObjectsArgs().WithBucket(_bucket).WithPrefix(prefix).WithRecursive(true);
        await foreach (var item in _minio.ListObjectsEnumAsync(args, cancellationToken).ConfigureAwait(false))
        {
            if (item.IsDir)
            {
                continue;
            }

            DateTimeOffset? lastModified = item.LastModifiedDateTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
            yield return new BlobInfo(item.Key, checked((long)item.Size), lastModified, TrimQuotes(item.ETag));
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _minio.Dispose();
    }

    private async Task<Stream> GetAsync(string key, (long First, long Last)? range, CancellationToken cancellationToken)
    {
        var url = await _minio.PresignedGetObjectAsync(
            new PresignedGetObjectArgs().WithBucket(_bucket).WithObject(key).WithExpiry(PresignExpirySeconds)).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is { } r)
        {
            request.Headers.Range = new RangeHeaderValue(r.First, r.Last);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK or HttpStatusCode.PartialContent:
                    var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    if (range is { } asked && response.StatusCode == HttpStatusCode.OK)
                    {
                        // The server ignored the Range header and sent everything: cut the range out here.
                        await SkipAsync(body, asked.First, cancellationToken).ConfigureAwait(false);
                        return new LengthLimitedStream(body, asked.Last - asked.First + 1, response);
                    }

                    return new LengthLimitedStream(body, response.Content.Headers.ContentLength ?? long.MaxValue, response);
                case HttpStatusCode.NotFound:
                    throw BlobNotFoundException.ForKey(key);
                case HttpStatusCode.RequestedRangeNotSatisfiable:
                    // The object exists but the offset is at or past its end.
                    response.Dispose();
                    return new MemoryStream([], writable: false);
                default:
                    var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    throw new HttpRequestException(
                        $"S3 GET of '{key}' in bucket '{_bucket}' failed with {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(text, 500)}",
                        inner: null,
                        response.StatusCode);
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Aborts unfinished multipart uploads of <paramref name="key"/>, best effort: the put has
    /// failed already and its exception is what the caller must see. Not cancellable, since
    /// cancellation is one of the reasons to get here. The SDK does not reveal the upload id, so
    /// this lists the key's uploads; that would also abort a concurrent put of the same key by
    /// another writer, which then fails and must retry (keys here are unique ids, so it doesn't
    /// happen in practice). What this misses is left for the bucket's
    /// AbortIncompleteMultipartUpload lifecycle rule.
    /// </summary>
    private async Task AbortIncompleteUploadsAsync(string key)
    {
        try
        {
            // Delimiter "/" rather than the SDK's empty default, which Swift mishandles (see
            // S3RequestSigner); with the whole key as prefix it still returns exactly its uploads.
            var args = new ListIncompleteUploadsArgs().WithBucket(_bucket).WithPrefix(key).WithDelimiter("/");
            await foreach (var upload in _minio.ListIncompleteUploadsEnumAsync(args, CancellationToken.None).ConfigureAwait(false))
            {
                if (string.Equals(upload.Key, key, StringComparison.Ordinal))
                {
                    await AbortUploadAsync(key, upload.UploadId).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is MinioException or HttpRequestException or IOException or OperationCanceledException)
        {
            // Best effort, see above.
        }
    }

    private async Task AbortUploadAsync(string key, string uploadId)
    {
        using var request = _signer.Create(HttpMethod.Delete, _bucket, key, [new("uploadId", uploadId)], DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
        // 204: aborted; 404 NoSuchUpload: already gone. Anything else is left to the lifecycle rule.
    }

    private static async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (count > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? TrimQuotes(string? etag) => etag?.Trim('"');

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
