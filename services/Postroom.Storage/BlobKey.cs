using System.Text;

namespace Postroom.Storage;

/// <summary>
/// The rules for blob keys, shared by every store so a key valid for one is valid for all.
/// </summary>
/// <remarks>
/// A key is 1 to <see cref="MaxUtf8Bytes"/> bytes of UTF-8 (S3's limit) and at most
/// <see cref="MaxLength"/> UTF-16 characters (the Minio 7.0.0 SDK refuses longer object names
/// client-side, although its message speaks of 1024), has no control characters
/// (NUL included), does not start or end with "/", has no empty segment ("//"), no "." segment and
/// no ".." anywhere. The last three keep a key from ever meaning a different path on a file
/// system, and make key and path map one to one.
/// </remarks>
public static class BlobKey
{
    /// <summary>S3's limit on object key length.</summary>
    public const int MaxUtf8Bytes = 1024;

    /// <summary>The Minio 7.0.0 SDK's limit on object name length, in UTF-16 code units.</summary>
    public const int MaxLength = 512;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is a valid key.</summary>
    public static void Validate(string key, string paramName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length == 0)
        {
            throw new ArgumentException("A blob key must not be empty.", paramName);
        }

        if (key.EndsWith('/'))
        {
            throw new ArgumentException($"A blob key must not end with '/': '{key}'.", paramName);
        }

        CheckCommon(key, paramName, isPrefix: false);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="prefix"/> is a valid list prefix:
    /// empty, or the start of some valid key (so it may end with "/").
    /// </summary>
    public static void ValidatePrefix(string prefix, string paramName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length > 0)
        {
            CheckCommon(prefix, paramName, isPrefix: true);
        }
    }

    private static void CheckCommon(string value, string paramName, bool isPrefix)
    {
        var what = isPrefix ? "prefix" : "key";
        if (value.StartsWith('/'))
        {
            throw new ArgumentException($"A blob {what} must not start with '/': '{value}'.", paramName);
        }

        if (value.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"A blob {what} must not contain '..': '{value}'.", paramName);
        }

        if (value.Contains("//", StringComparison.Ordinal))
        {
            throw new ArgumentException($"A blob {what} must not contain an empty segment ('//'): '{value}'.", paramName);
        }

        // A prefix's last segment may be the start of a longer one (".hidden"), so only whole segments count.
        var segments = value.Split('/');
        var wholeSegments = isPrefix ? segments.Length - 1 : segments.Length;
        for (var i = 0; i < wholeSegments; i++)
        {
            if (segments[i] == ".")
            {
                throw new ArgumentException($"A blob {what} must not contain a '.' segment: '{value}'.", paramName);
            }
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"A blob {what} must not contain control characters (U+{(int)c:X4}).", paramName);
            }
        }

        if (value.Length > MaxLength)
        {
            throw new ArgumentException($"A blob {what} must be at most {MaxLength} characters; this one has {value.Length}.", paramName);
        }

        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"A blob {what} must be valid Unicode (it has a lone surrogate).", paramName, e);
        }

        if (byteCount > MaxUtf8Bytes)
        {
            throw new ArgumentException($"A blob {what} must be at most {MaxUtf8Bytes} bytes of UTF-8; this one is {byteCount}.", paramName);
        }
    }
}
