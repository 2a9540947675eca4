using Postroom.Storage;

namespace Postroom.Hosting.Storage;

/// <summary>The configuration section <c>BlobStore</c>: S3-compatible storage in a cluster, a folder on a laptop.</summary>
public sealed class BlobStoreSettings
{
    /// <summary><c>S3</c> or <c>FileSystem</c>.</summary>
    public string Kind { get; set; } = "S3";

    /// <summary>For <c>FileSystem</c>: the root folder.</summary>
    public string? Path { get; set; }

    /// <summary>For <c>S3</c>: endpoint, bucket and credentials (from a Secret, through environment variables).</summary>
    public S3BlobStoreOptions S3 { get; set; } = new();

    /// <summary>The configured store; an S3 bucket is created by the host before it takes traffic.</summary>
    public IBlobStore Create() => Kind switch
    {
        "FileSystem" => new FileSystemBlobStore(new FileSystemBlobStoreOptions
        {
            RootPath = Path ?? throw new InvalidOperationException("BlobStore:Path is required for the FileSystem blob store"),
        }),
        "S3" => new S3BlobStore(S3),
        _ => throw new InvalidOperationException($"BlobStore:Kind '{Kind}' is not S3 or FileSystem"),
    };
}
