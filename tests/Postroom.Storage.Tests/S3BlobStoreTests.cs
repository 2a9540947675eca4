using Minio;
using Minio.DataModel.Args;

namespace Postroom.Storage.Tests;

/// <summary>The contract against Swift's S3 API, plus S3 specifics.</summary>
public sealed class S3BlobStoreTests : BlobStoreContract, IClassFixture<SwiftS3Fixture>
{
    private const string Bucket = "postroom-blobs";
    private readonly SwiftS3Fixture _fixture;

    public S3BlobStoreTests(SwiftS3Fixture fixture) => _fixture = fixture;

    protected override async Task<IBlobStore> CreateStoreAsync()
    {
        var store = new S3BlobStore(_fixture.Options(Bucket));
        await store.EnsureBucketAsync(Ct);
        return store;
    }

    private IMinioClient RawClient() => new MinioClient()
        .WithEndpoint(_fixture.Server.Endpoint)
        .WithCredentials(_fixture.Server.AccessKey, _fixture.Server.SecretKey)
        .WithRegion(_fixture.Server.Region)
        .Build();

    [Theory]
    [InlineData("aborted")]
    [InlineData("odd key/ä + %20 & = ~!")]
    public async Task Failed_multipart_put_is_aborted_and_leaves_no_object(string name)
    {
        // Fails after 17 MiB: one 16 MiB part is uploaded by then.
        using (var failing = new GeneratedStream(LargeLength, 5, failAfter: 17 * 1024 * 1024))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Store.PutAsync(K(name), failing, Ct));
        }

        Assert.Null(await Store.StatAsync(K(name), Ct));
        Assert.Empty(await ListAsync(Prefix));
        Assert.Empty(await IncompleteUploadsAsync(K(name)));
    }

    [Fact]
    public async Task Incomplete_uploads_are_visible_to_the_check_used_above()
    {
        // Guards the abort test against passing vacuously: an upload the store didn't start
        // (so won't abort) must show up in the same listing.
        using var raw = RawClient();
        using (var failing = new GeneratedStream(LargeLength, 6, failAfter: 17 * 1024 * 1024))
        {
            var args = new PutObjectArgs().WithBucket(Bucket).WithObject(K("raw")).WithStreamData(failing).WithObjectSize(-1);
            await Assert.ThrowsAnyAsync<Exception>(() => raw.PutObjectAsync(args, Ct));
        }

        Assert.Equal([K("raw")], await IncompleteUploadsAsync(K("raw")));
        Assert.Null(await Store.StatAsync(K("raw"), Ct));
    }

    /// <summary>
    /// Keys of unfinished multipart uploads under <paramref name="key"/>. Lists with delimiter "/":
    /// the SDK's default empty delimiter makes Swift group every upload into a common prefix.
    /// </summary>
    private async Task<List<string>> IncompleteUploadsAsync(string key)
    {
        using var raw = RawClient();
        var uploads = new List<string>();
        var args = new ListIncompleteUploadsArgs().WithBucket(Bucket).WithPrefix(key).WithDelimiter("/");
        await foreach (var upload in raw.ListIncompleteUploadsEnumAsync(args, Ct))
        {
            uploads.Add(upload.Key);
        }

        return uploads;
    }

    [Fact]
    public async Task Put_reports_the_etag_the_server_stored()
    {
        var small = await PutBytesAsync(K("small"), BinarySample(100));
        using var source = new GeneratedStream(6 * 1024 * 1024, 9);
        var multipart = await Store.PutAsync(K("multipart"), source, Ct);

        Assert.False(string.IsNullOrEmpty(small.ETag));
        Assert.Equal((await Store.StatAsync(K("small"), Ct))!.ETag, small.ETag);
        Assert.False(string.IsNullOrEmpty(multipart.ETag));
        Assert.Equal((await Store.StatAsync(K("multipart"), Ct))!.ETag, multipart.ETag);
        Assert.Equal(6 * 1024 * 1024, multipart.Length);
    }

    [Fact]
    public async Task EnsureBucket_creates_a_missing_bucket_and_is_idempotent()
    {
        var bucket = $"ensure-{Guid.NewGuid():N}"[..30];
        using var store = new S3BlobStore(_fixture.Options(bucket));
        using var raw = RawClient();
        Assert.False(await raw.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), Ct));

        await store.EnsureBucketAsync(Ct);
        await store.EnsureBucketAsync(Ct);

        Assert.True(await raw.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), Ct));
        await using var content = new MemoryStream([1, 2]);
        await store.PutAsync("k", content, Ct);
        Assert.Equal(2, (await store.StatAsync("k", Ct))!.Length);
    }

    [Fact]
    public async Task Wrong_secret_is_refused_by_the_server()
    {
        var options = _fixture.Options(Bucket);
        options.SecretKey = "wrong";
        using var store = new S3BlobStore(options);

        await Assert.ThrowsAnyAsync<Exception>(() => PutWithAsync(store));
        await Assert.ThrowsAnyAsync<Exception>(() => store.OpenReadAsync(K("x"), Ct));
        Assert.Null(await Store.StatAsync(K("x"), Ct));
    }

    private async Task PutWithAsync(S3BlobStore store)
    {
        await using var content = new MemoryStream([1]);
        await store.PutAsync(K("x"), content, Ct);
    }
}
