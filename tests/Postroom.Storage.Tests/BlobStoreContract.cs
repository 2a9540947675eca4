using System.Security.Cryptography;
using System.Text;

namespace Postroom.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IBlobStore"/> must have. Each implementation's test class derives
/// from this and supplies a store; every test works under its own random key prefix, so a store
/// (or bucket) may be shared between tests.
/// </summary>
public abstract class BlobStoreContract : IAsyncLifetime, IDisposable
{
    /// <summary>~20 MiB plus an odd tail: several multipart parts, last one partial.</summary>
    protected const long LargeLength = (20 * 1024 * 1024) + 12345;

    private IBlobStore? _store;

    protected IBlobStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>This test's private key space.</summary>
    protected string Prefix { get; } = $"test-{Guid.NewGuid():N}/";

    // Generous per-test deadline, so a hung request fails the test instead of the run.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(120));

    protected CancellationToken Ct => _timeout.Token;

    protected abstract Task<IBlobStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync()
    {
        (_store as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    protected string K(string name) => Prefix + name;

    protected async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            return copy.ToArray();
        }
    }

    protected async Task<byte[]> GetAsync(string key) => await ReadAllAsync(await Store.OpenReadAsync(key, Ct));

    protected async Task<byte[]> GetRangeAsync(string key, long offset, long length) =>
        await ReadAllAsync(await Store.OpenReadRangeAsync(key, offset, length, Ct));

    protected async Task<BlobInfo> PutBytesAsync(string key, byte[] bytes)
    {
        using var content = new MemoryStream(bytes);
        return await Store.PutAsync(key, content, Ct);
    }

    protected async Task<List<BlobInfo>> ListAsync(string prefix)
    {
        var result = new List<BlobInfo>();
        await foreach (var info in Store.ListAsync(prefix, Ct))
        {
            result.Add(info);
        }

        return result;
    }

    protected static byte[] BinarySample(int length)
    {
        // Every byte value, NULs at the start, in the middle and at the end.
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 7);
        }

        bytes[length / 2] = 0;
        bytes[^1] = 0;
        return bytes;
    }

    [Fact]
    public async Task Put_then_read_roundtrips_binary_data_with_nul_bytes()
    {
        var bytes = BinarySample(4099);
        Assert.Contains((byte)0, bytes);

        var info = await PutBytesAsync(K("binary"), bytes);

        Assert.Equal(K("binary"), info.Key);
        Assert.Equal(bytes.Length, info.Length);
        Assert.Equal(bytes, await GetAsync(K("binary")));
    }

    [Fact]
    public async Task Large_blob_from_non_seekable_stream_of_unknown_length_roundtrips()
    {
        const ulong seed = 42;
        using var source = new GeneratedStream(LargeLength, seed);
        Assert.False(source.CanSeek);

        var info = await Store.PutAsync(K("large"), source, Ct);

        Assert.Equal(LargeLength, info.Length);
        Assert.Equal(LargeLength, (await Store.StatAsync(K("large"), Ct))!.Length);
        await using var read = await Store.OpenReadAsync(K("large"), Ct);
        var hash = await SHA256.HashDataAsync(read, Ct);
        Assert.Equal(GeneratedStream.Sha256(seed, LargeLength), hash);
    }

    [Fact]
    public async Task Empty_blob_can_be_put_stated_read_and_ranged()
    {
        var info = await PutBytesAsync(K("empty"), []);

        Assert.Equal(0, info.Length);
        var stat = await Store.StatAsync(K("empty"), Ct);
        Assert.NotNull(stat);
        Assert.Equal(0, stat.Length);
        Assert.Empty(await GetAsync(K("empty")));
        Assert.Empty(await GetRangeAsync(K("empty"), 0, 10));
        Assert.Equal([K("empty")], (await ListAsync(K("empty"))).Select(b => b.Key));
    }

    [Theory]
    [InlineData(0, 10)] // start
    [InlineData(500, 100)] // middle
    [InlineData(990, 10)] // exactly the end
    [InlineData(0, 1000)] // everything
    [InlineData(999, 1)] // last byte
    public async Task Ranged_read_returns_exactly_the_range(long offset, long length)
    {
        var bytes = BinarySample(1000);
        await PutBytesAsync(K("ranged"), bytes);

        var range = await GetRangeAsync(K("ranged"), offset, length);

        Assert.Equal(bytes.AsSpan((int)offset, (int)length).ToArray(), range);
    }

    [Fact]
    public async Task Ranged_read_past_the_end_is_clamped_or_empty()
    {
        var bytes = BinarySample(1000);
        await PutBytesAsync(K("ranged"), bytes);

        Assert.Equal(bytes[995..], await GetRangeAsync(K("ranged"), 995, 100));
        Assert.Equal(bytes[10..], await GetRangeAsync(K("ranged"), 10, long.MaxValue));
        Assert.Empty(await GetRangeAsync(K("ranged"), 1000, 10));
        Assert.Empty(await GetRangeAsync(K("ranged"), 5000, 10));
        Assert.Empty(await GetRangeAsync(K("ranged"), 10, 0));
    }

    [Fact]
    public async Task Ranged_read_rejects_negative_offset_or_length()
    {
        await PutBytesAsync(K("ranged"), BinarySample(10));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.OpenReadRangeAsync(K("ranged"), -1, 5, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.OpenReadRangeAsync(K("ranged"), 0, -5, Ct));
    }

    [Fact]
    public async Task Ranged_reads_of_a_large_blob_are_exact_across_part_boundaries()
    {
        const ulong seed = 7;
        using (var source = new GeneratedStream(LargeLength, seed))
        {
            await Store.PutAsync(K("large"), source, Ct);
        }

        const long MiB = 1024 * 1024;
        // 5 MiB: S3 store's single-put limit; 8 and 16 MiB: common part sizes; then the tail.
        long[] boundaries = [5 * MiB, 8 * MiB, 16 * MiB];
        foreach (var boundary in boundaries)
        {
            var range = await GetRangeAsync(K("large"), boundary - 1000, 2000);
            Assert.Equal(GeneratedStream.Expected(seed, boundary - 1000, 2000), range);
        }

        Assert.Equal(GeneratedStream.Expected(seed, 0, 100), await GetRangeAsync(K("large"), 0, 100));
        Assert.Equal(GeneratedStream.Expected(seed, LargeLength - 5000, 5000), await GetRangeAsync(K("large"), LargeLength - 5000, 10000));
        var spanning = await GetRangeAsync(K("large"), (4 * MiB) + 3, 13 * MiB);
        Assert.Equal(GeneratedStream.Expected(seed, (4 * MiB) + 3, (int)(13 * MiB)), spanning);
    }

    [Fact]
    public async Task Stat_reports_present_blob_and_null_for_missing()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);
        await PutBytesAsync(K("stat"), BinarySample(321));

        var stat = await Store.StatAsync(K("stat"), Ct);

        Assert.NotNull(stat);
        Assert.Equal(K("stat"), stat.Key);
        Assert.Equal(321, stat.Length);
        Assert.NotNull(stat.LastModified);
        Assert.InRange(stat.LastModified.Value, before, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Null(await Store.StatAsync(K("missing"), Ct));
        Assert.Null(await Store.StatAsync(K("sta"), Ct));
    }

    [Fact]
    public async Task Delete_is_idempotent_and_reports_whether_the_blob_existed()
    {
        await PutBytesAsync(K("doomed"), BinarySample(100));
        await PutBytesAsync(K("survivor"), BinarySample(100));

        Assert.True(await Store.DeleteAsync(K("doomed"), Ct));
        Assert.False(await Store.DeleteAsync(K("doomed"), Ct));
        Assert.False(await Store.DeleteAsync(K("never-existed"), Ct));
        Assert.False(await Store.DeleteAsync(K("no/such/dir/blob"), Ct));

        Assert.Null(await Store.StatAsync(K("doomed"), Ct));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(K("doomed"), Ct));
        Assert.Equal([K("survivor")], (await ListAsync(Prefix)).Select(b => b.Key));
    }

    [Fact]
    public async Task Put_overwrites_an_existing_blob()
    {
        await PutBytesAsync(K("same"), Encoding.UTF8.GetBytes("the first, longer version"));

        var info = await PutBytesAsync(K("same"), Encoding.UTF8.GetBytes("second"));

        Assert.Equal(6, info.Length);
        Assert.Equal("second", Encoding.UTF8.GetString(await GetAsync(K("same"))));
        Assert.Equal(6, (await Store.StatAsync(K("same"), Ct))!.Length);
        Assert.Single(await ListAsync(K("same")));
    }

    [Fact]
    public async Task List_returns_exactly_the_keys_under_a_prefix_in_ordinal_order()
    {
        string[] names = ["a", "a/1", "a/2", "a/sub/3", "ab", "a-b", "b/1", ".hidden", "messages/2026/11/25/x"];
        for (var i = 0; i < names.Length; i++)
        {
            await PutBytesAsync(K(names[i]), new byte[i + 1]);
        }

        async Task<string[]> KeysAsync(string prefix) =>
            (await ListAsync(Prefix + prefix)).Select(b => b.Key[Prefix.Length..]).ToArray();

        Assert.Equal(names.Order(StringComparer.Ordinal), await KeysAsync(""));
        Assert.Equal(["a/1", "a/2", "a/sub/3"], await KeysAsync("a/"));
        Assert.Equal(["a", "a-b", "a/1", "a/2", "a/sub/3", "ab"], await KeysAsync("a"));
        Assert.Equal(["a/sub/3"], await KeysAsync("a/s"));
        Assert.Equal(["messages/2026/11/25/x"], await KeysAsync("messages/2026/1"));
        Assert.Equal([".hidden"], await KeysAsync("."));
        Assert.Empty(await KeysAsync("zzz"));
        Assert.Empty(await KeysAsync("a/sub/3/"));

        var listed = (await ListAsync(Prefix)).ToDictionary(b => b.Key[Prefix.Length..]);
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(i + 1, listed[names[i]].Length);
        }
    }

    [Fact]
    public async Task Keys_that_look_like_file_system_artifacts_coexist()
    {
        string[] names = ["x", "x.blob/y", "x.tmp/z", "w~/v", "w/v", "w~~/u", "q.blob", "q.tmp", ".0123456789abcdef0123456789abcdef.tmp"];
        foreach (var name in names)
        {
            await PutBytesAsync(K(name), Encoding.UTF8.GetBytes(name));
        }

        foreach (var name in names)
        {
            Assert.Equal(name, Encoding.UTF8.GetString(await GetAsync(K(name))));
        }

        Assert.Equal(names.Select(K).Order(StringComparer.Ordinal), (await ListAsync(Prefix)).Select(b => b.Key));
    }

    [Fact]
    public async Task Keys_with_unusual_characters_roundtrip()
    {
        string[] names =
        [
            "spaces and+plus/%25 percent & amp=eq;semi",
            "unicode/äöü-日本語-🙂",
            "punct/!$'()*,:@[]^`{}|~",
            "query?and#hash",
        ];
        foreach (var name in names)
        {
            await PutBytesAsync(K(name), Encoding.UTF8.GetBytes(name));
        }

        foreach (var name in names)
        {
            Assert.Equal(name, Encoding.UTF8.GetString(await GetAsync(K(name))));
            Assert.Equal(name, Encoding.UTF8.GetString(await GetRangeAsync(K(name), 0, 5_000)));
            Assert.NotNull(await Store.StatAsync(K(name), Ct));
        }

        Assert.Equal(names.Select(K).Order(StringComparer.Ordinal), (await ListAsync(Prefix)).Select(b => b.Key));
        foreach (var name in names)
        {
            Assert.True(await Store.DeleteAsync(K(name), Ct));
        }

        Assert.Empty(await ListAsync(Prefix));
    }

    [Fact]
    public async Task Longest_valid_keys_are_accepted()
    {
        // Segments stay short enough for any file system (the file system store allows 250 bytes).
        var longest = Prefix;
        while (longest.Length + 101 <= BlobKey.MaxLength)
        {
            longest += new string('k', 100) + "/";
        }

        longest += new string('z', BlobKey.MaxLength - longest.Length);
        Assert.Equal(BlobKey.MaxLength, longest.Length);

        // 1024 bytes of UTF-8 in at most 512 characters, thanks to three-byte characters.
        var widest = Prefix + "wide/";
        for (var i = 0; i < 4; i++)
        {
            widest += new string('日', 64) + "/";
        }

        widest += new string('z', BlobKey.MaxUtf8Bytes - Encoding.UTF8.GetByteCount(widest));
        Assert.Equal(BlobKey.MaxUtf8Bytes, Encoding.UTF8.GetByteCount(widest));
        Assert.True(widest.Length <= BlobKey.MaxLength);

        await PutBytesAsync(longest, [1, 2, 3]);
        await PutBytesAsync(widest, [4, 5]);

        Assert.Equal([1, 2, 3], await GetAsync(longest));
        Assert.Equal([4, 5], await GetAsync(widest));
        Assert.Equal(new[] { longest, widest }.Order(StringComparer.Ordinal), (await ListAsync(Prefix)).Select(b => b.Key));
    }

    [Fact]
    public async Task Opening_a_missing_blob_throws_BlobNotFoundException()
    {
        var whole = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(K("missing"), Ct));
        Assert.Equal(K("missing"), whole.Key);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadRangeAsync(K("missing"), 0, 10, Ct));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadRangeAsync(K("missing"), 0, 0, Ct));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(K("missing/deeper/key"), Ct));
    }

    public static TheoryData<string> InvalidKeys => new()
    {
        "",
        "/leading-slash",
        "trailing-slash/",
        "double//slash",
        "..",
        "a/../b",
        "a..b",
        ".",
        "./a",
        "a/./b",
        "a/.",
        "nul\0byte",
        "new\nline",
        "tab\tchar",
        "del\u007Fchar",
        new string('x', BlobKey.MaxLength + 1),
        new string('日', 342), // 342 characters, but 1026 bytes
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Invalid_keys_are_rejected_by_every_operation(string key)
    {
        using var content = new MemoryStream([1]);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(key, content, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.OpenReadAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.OpenReadRangeAsync(key, 0, 1, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.StatAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteAsync(key, Ct));
    }

    [Theory]
    [InlineData("/x")]
    [InlineData("a//")]
    [InlineData("a/../")]
    [InlineData("./")]
    [InlineData("bad\0")]
    public async Task Invalid_list_prefixes_are_rejected(string prefix)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ListAsync(prefix));
    }

    [Fact]
    public async Task Failed_put_leaves_nothing_and_keeps_the_previous_blob()
    {
        // Fails after 17 MiB: past the first multipart part of an S3 upload.
        const long failAt = 17 * 1024 * 1024;
        using (var failing = new GeneratedStream(LargeLength, 1, failAfter: failAt))
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => Store.PutAsync(K("new"), failing, Ct));
            Assert.Contains("Simulated failure", error.ToString(), StringComparison.Ordinal);
        }

        await PutBytesAsync(K("existing"), Encoding.UTF8.GetBytes("old"));
        using (var failing = new GeneratedStream(LargeLength, 2, failAfter: 1000))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Store.PutAsync(K("existing"), failing, Ct));
        }

        Assert.Null(await Store.StatAsync(K("new"), Ct));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(K("new"), Ct));
        Assert.Equal("old", Encoding.UTF8.GetString(await GetAsync(K("existing"))));
        Assert.Equal([K("existing")], (await ListAsync(Prefix)).Select(b => b.Key));
    }

    [Fact]
    public async Task Concurrent_puts_of_different_keys_all_land()
    {
        const int count = 16;
        var puts = Enumerable.Range(0, count).Select(async i =>
        {
            // A mix of small single-request bodies and a few multi-megabyte ones.
            var length = i % 5 == 0 ? (6 * 1024 * 1024) + i : 1000 + i;
            using var source = new GeneratedStream(length, (ulong)i);
            return await Store.PutAsync(K($"concurrent/{i:D2}"), source, Ct);
        });

        var infos = await Task.WhenAll(puts);

        Assert.Equal(count, infos.Length);
        for (var i = 0; i < count; i++)
        {
            var length = i % 5 == 0 ? (6 * 1024 * 1024) + i : 1000 + i;
            Assert.Equal(length, infos[i].Length);
            await using var read = await Store.OpenReadAsync(K($"concurrent/{i:D2}"), Ct);
            Assert.Equal(GeneratedStream.Sha256((ulong)i, length), await SHA256.HashDataAsync(read, Ct));
        }

        Assert.Equal(count, (await ListAsync(K("concurrent/"))).Count);
    }
}
