namespace Postroom.Storage;

/// <summary>Settings of <see cref="S3BlobStore"/>.</summary>
/// <remarks>
/// Addressing is path-style (http://host:port/bucket/key): the Minio SDK uses it for every endpoint
/// that is not AWS's own, which covers MinIO, Ceph RGW, Swift s3api and Garage.
/// </remarks>
public sealed class S3BlobStoreOptions
{
    /// <summary>Host and optional port of the S3 service, e.g. "minio.storage:9000" (no scheme).</summary>
    public string Endpoint { get; set; } = "";

    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    public string Bucket { get; set; } = "";

    /// <summary>Use HTTPS. Defaults to true; turn off only for in-cluster or test endpoints.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>
    /// The region signatures are computed for. Setting it also spares the SDK a bucket-location
    /// lookup before the first request.
    /// </summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>How long a request may take until its response headers arrive.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
