namespace Postroom.Storage;

/// <summary>Thrown when a blob is opened for reading but no blob has that key.</summary>
public sealed class BlobNotFoundException : Exception
{
    public BlobNotFoundException()
        : base("The blob was not found.")
    {
    }

    public BlobNotFoundException(string message)
        : base(message)
    {
    }

    public BlobNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The missing key, when known.</summary>
    public string? Key { get; private init; }

    /// <summary>Creates the exception for a missing <paramref name="key"/>.</summary>
    public static BlobNotFoundException ForKey(string key, Exception? innerException = null) =>
        innerException is null
            ? new($"No blob has the key '{key}'.") { Key = key }
            : new($"No blob has the key '{key}'.", innerException) { Key = key };
}
