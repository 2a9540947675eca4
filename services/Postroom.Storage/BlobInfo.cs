namespace Postroom.Storage;

/// <summary>What a store knows about one blob.</summary>
/// <param name="Key">The blob's key.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="LastModified">
/// When the blob was last written, if the store reports it (an S3 put response does not carry it).
/// </param>
/// <param name="ETag">The S3 entity tag, without quotes; null for stores that have none (file system).</param>
public sealed record BlobInfo(string Key, long Length, DateTimeOffset? LastModified, string? ETag);
