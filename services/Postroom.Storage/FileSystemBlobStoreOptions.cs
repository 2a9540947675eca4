namespace Postroom.Storage;

/// <summary>Settings of <see cref="FileSystemBlobStore"/>.</summary>
public sealed class FileSystemBlobStoreOptions
{
    /// <summary>
    /// The directory that holds the blobs; created if missing. Should be a local file system that
    /// honours fsync (the store's durability rests on it).
    /// </summary>
    public string RootPath { get; set; } = "";
}
