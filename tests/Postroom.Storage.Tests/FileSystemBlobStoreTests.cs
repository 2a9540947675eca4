using System.Text;

namespace Postroom.Storage.Tests;

/// <summary>The contract on a fresh temporary directory per test, plus file-system specifics.</summary>
public sealed class FileSystemBlobStoreTests : BlobStoreContract
{
    private readonly string _root = Directory.CreateTempSubdirectory("postroom-fsblob-").FullName;

    protected override Task<IBlobStore> CreateStoreAsync() =>
        Task.FromResult<IBlobStore>(new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = _root }));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private string[] AllFiles() =>
        Directory.GetFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 });

    [Fact]
    public async Task Put_leaves_no_temporary_file_behind()
    {
        await PutBytesAsync(K("one"), [1]);
        await PutBytesAsync(K("dir/two"), [2]);
        await PutBytesAsync(K("one"), [3]); // overwrite
        Assert.True(await Store.DeleteAsync(K("dir/two"), Ct));

        var files = AllFiles();

        var file = Assert.Single(files);
        Assert.EndsWith("one.blob", file, StringComparison.Ordinal);
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Blob_is_stored_under_a_readable_path()
    {
        await PutBytesAsync("messages/2026/11/25/abc", Encoding.UTF8.GetBytes("body"));

        var path = Path.Combine(_root, "messages", "2026", "11", "25", "abc.blob");
        Assert.Equal("body", await File.ReadAllTextAsync(path, Ct));
    }

    [Fact]
    public async Task Failed_put_leaves_no_file_and_nothing_listed()
    {
        using (var failing = new GeneratedStream(LargeLength, 3, failAfter: 3 * 1024 * 1024))
        {
            var error = await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(K("partial"), failing, Ct));
            Assert.Contains("Simulated failure", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(AllFiles());
        Assert.Empty(await ListAsync(""));
        Assert.Null(await Store.StatAsync(K("partial"), Ct));
    }

    [Fact]
    public async Task Cancelled_put_leaves_no_file()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var source = new GeneratedStream(1000, 4);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync(K("cancelled"), source, cancelled.Token));

        Assert.Empty(AllFiles());
    }

    [Fact]
    public async Task Temporary_files_are_not_listed_and_stale_ones_are_swept()
    {
        await PutBytesAsync(K("real"), [1]);
        var directory = Path.Combine(_root, Prefix.TrimEnd('/'));
        var stale = Path.Combine(directory, ".00000000000000000000000000000001.tmp");
        var fresh = Path.Combine(directory, ".00000000000000000000000000000002.tmp");
        await File.WriteAllBytesAsync(stale, [9], Ct);
        await File.WriteAllBytesAsync(fresh, [9], Ct);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));

        Assert.Equal([K("real")], (await ListAsync("")).Select(b => b.Key));

        var store = (FileSystemBlobStore)Store;
        Assert.Equal(1, store.DeleteStaleTempFiles(TimeSpan.FromHours(1)));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task Reader_keeps_the_old_content_while_a_put_replaces_it()
    {
        await PutBytesAsync(K("busy"), Encoding.UTF8.GetBytes("old content"));
        await using var reader = await Store.OpenReadAsync(K("busy"), Ct);

        await PutBytesAsync(K("busy"), Encoding.UTF8.GetBytes("new"));

        Assert.Equal("old content", Encoding.UTF8.GetString(await ReadAllAsync(reader)));
        Assert.Equal("new", Encoding.UTF8.GetString(await GetAsync(K("busy"))));
    }

    [Fact]
    public async Task Segment_too_long_for_a_file_name_is_rejected()
    {
        using var content = new MemoryStream([1]);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(K(new string('s', 251)), content, Ct));
        await PutBytesAsync(K(new string('s', 250)), [1]);
        Assert.Single(await ListAsync(Prefix));
    }
}
