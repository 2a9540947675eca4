using System.Runtime.CompilerServices;
using Postroom.Storage.Streams;

namespace Postroom.Storage;

/// <summary>
/// A blob store on a local (or node-local persistent volume) file system; see
/// <see cref="FileSystemKeyMapping"/> for how keys map to paths.
/// </summary>
/// <remarks>
/// <para>Puts are atomic and durable: the body goes to a temporary file in the blob's own
/// directory (same file system, so the rename below is atomic), is fsynced, renamed over the final
/// name, and then the directory is fsynced so the rename itself survives a crash. Readers
/// therefore see the old blob or the whole new one, never part of one. A crash mid-put leaves only
/// a temporary file (".&lt;guid&gt;.tmp"), which listing ignores and
/// <see cref="DeleteStaleTempFiles"/> removes.</para>
/// <para>Deletes rename the blob to a temporary name first, so exactly one of several concurrent
/// deletes of a key reports true. Emptied directories are left in place (cheap, and removing them
/// would race with puts creating them).</para>
/// </remarks>
public sealed class FileSystemBlobStore : IBlobStore
{
    // Bounded copy buffer: a put never holds more than this much of the body in memory.
    private const int CopyBufferSize = 128 * 1024;

    private readonly string _root;

    public FileSystemBlobStore(FileSystemBlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.RootPath))
        {
            throw new ArgumentException("RootPath must be set.", nameof(options));
        }

        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RootPath));
        Directory.CreateDirectory(_root);
    }

    /// <summary>The absolute root directory.</summary>
    public string RootPath => _root;

    public async Task<BlobInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        ArgumentNullException.ThrowIfNull(content);
        var directory = Path.GetDirectoryName(path)!;
        CreateDirectoryDurably(directory);

        var tempPath = NewTempPath(directory);
        long length;
        try
        {
            var file = new FileStream(tempPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0, // the copy below already writes in large chunks
            });
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, CopyBufferSize, cancellationToken).ConfigureAwait(false);
                length = file.Length;
                file.Flush(flushToDisk: true);
            }

            // rename(2) replaces an existing blob atomically.
            File.Move(tempPath, path, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }

        DirectorySync.Flush(directory);
        return new BlobInfo(key, length, File.GetLastWriteTimeUtc(path), ETag: null);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<Stream>(OpenFile(key, path));
    }

    public Task<Stream> OpenReadRangeAsync(string key, long offset, long length, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        cancellationToken.ThrowIfCancellationRequested();

        var file = OpenFile(key, path);
        try
        {
            // Clamp to the end; an offset past the end gives an empty stream.
            var available = Math.Max(0, file.Length - offset);
            var count = Math.Min(length, available);
            if (count > 0)
            {
                file.Seek(offset, SeekOrigin.Begin);
            }

            return Task.FromResult<Stream>(new LengthLimitedStream(file, count));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        var info = new FileInfo(path);
        return Task.FromResult(info.Exists ? ToBlobInfo(key, info) : null);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        var directory = Path.GetDirectoryName(path)!;
        var tempPath = NewTempPath(directory);
        try
        {
            // The rename is the atomic "did it exist" test; the blob disappears from view with it.
            // overwrite: true makes .NET call rename(2) directly (without it, it links and unlinks,
            // which two concurrent deletes could both get halfway through).
            File.Move(path, tempPath, overwrite: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }

        File.Delete(tempPath);
        DirectorySync.Flush(directory);
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobKey.ValidatePrefix(prefix);

        // Start at the deepest directory the prefix names fully; the rest of the prefix filters names.
        var lastSlash = prefix.LastIndexOf('/');
        var startKey = lastSlash < 0 ? "" : prefix[..(lastSlash + 1)];
        var startDirectory = startKey.Length == 0
            ? _root
            : Path.Combine(_root, Path.Combine(startKey.TrimEnd('/').Split('/').Select(FileSystemKeyMapping.EncodeDirectory).ToArray()));

        // Depth-first, each directory's entries sorted by their key text (directories as
        // "name/"), which yields keys in ordinal order overall. Only one directory's listing
        // is held in memory per level.
        var stackOfEntries = new Stack<IEnumerator<Entry>>();
        stackOfEntries.Push(ReadDirectory(startDirectory, startKey, prefix).GetEnumerator());
        while (stackOfEntries.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = stackOfEntries.Peek();
            if (!entries.MoveNext())
            {
                entries.Dispose();
                stackOfEntries.Pop();
                continue;
            }

            var entry = entries.Current;
            if (entry.Directory is not null)
            {
                // Keep the walk from monopolising a thread on large trees.
                await Task.Yield();
                stackOfEntries.Push(ReadDirectory(entry.Directory, entry.Key, prefix).GetEnumerator());
            }
            else
            {
                yield return new BlobInfo(entry.Key, entry.Length, entry.LastModified, ETag: null);
            }
        }
    }

    /// <summary>
    /// Deletes temporary files older than <paramref name="minimumAge"/>, left behind by puts or
    /// deletes interrupted by a crash. Returns how many were deleted. The age guard keeps it from
    /// deleting the temp file of a put still in progress.
    /// </summary>
    public int DeleteStaleTempFiles(TimeSpan minimumAge)
    {
        var cutoff = DateTime.UtcNow - minimumAge;
        var deleted = 0;
        var files = Directory.EnumerateFiles(_root, "*" + FileSystemKeyMapping.TempSuffix, new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = true,
        });
        foreach (var file in files)
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff && TryDelete(file))
            {
                deleted++;
            }
        }

        return deleted;
    }

    private readonly record struct Entry(string Key, string? Directory, long Length, DateTimeOffset LastModified);

    private static IEnumerable<Entry> ReadDirectory(string directory, string keyPrefix, string prefix)
    {
        var entries = new List<(string SortKey, Entry Entry)>();
        try
        {
            foreach (var info in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions
            {
                AttributesToSkip = 0, // keys may start with "." (hidden on Unix)
                IgnoreInaccessible = false,
            }))
            {
                if (info is DirectoryInfo)
                {
                    var subPrefix = keyPrefix + FileSystemKeyMapping.DecodeDirectory(info.Name) + "/";
                    // Descend only where some key could start with the prefix.
                    if (subPrefix.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(subPrefix, StringComparison.Ordinal))
                    {
                        entries.Add((subPrefix, new Entry(subPrefix, info.FullName, 0, default)));
                    }
                }
                else if (FileSystemKeyMapping.DecodeFile(info.Name) is { } segment)
                {
                    var key = keyPrefix + segment;
                    if (key.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        var file = (FileInfo)info;
                        entries.Add((key, new Entry(key, null, file.Length, file.LastWriteTimeUtc)));
                    }
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // The prefix names no directory, or it vanished mid-walk: nothing to list there.
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.SortKey, b.SortKey));
        return entries.Select(e => e.Entry);
    }

    private string PathOf(string key)
    {
        BlobKey.Validate(key);
        return Path.Combine(_root, FileSystemKeyMapping.ToRelativePath(key));
    }

    private static FileStream OpenFile(string key, string path)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                // Let puts and deletes rename over or away a blob that is being read (on Unix
                // the reader keeps the old inode).
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw BlobNotFoundException.ForKey(key, e);
        }
    }

    private static BlobInfo ToBlobInfo(string key, FileInfo info) =>
        new(key, info.Length, info.LastWriteTimeUtc, ETag: null);

    private static string NewTempPath(string directory) =>
        Path.Combine(directory, "." + Guid.NewGuid().ToString("N") + FileSystemKeyMapping.TempSuffix);

    /// <summary>
    /// Creates the directory and fsyncs the parent of every level it had to create, so the new
    /// directory entries are as durable as the blob put into them.
    /// </summary>
    private void CreateDirectoryDurably(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        var missing = new List<string>();
        for (var d = directory; d.Length > _root.Length && !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
        {
            missing.Add(d);
        }

        Directory.CreateDirectory(directory);
        foreach (var created in missing)
        {
            DirectorySync.Flush(Path.GetDirectoryName(created)!);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
