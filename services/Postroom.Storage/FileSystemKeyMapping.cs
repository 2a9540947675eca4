using System.Text;

namespace Postroom.Storage;

/// <summary>
/// Maps blob keys to relative paths and back, one to one, so that keys which S3 allows side by
/// side never collide on disk.
/// </summary>
/// <remarks>
/// <para>Each "/"-separated segment but the last becomes a directory; the last becomes a file named
/// segment + <see cref="BlobSuffix"/>. The suffix lets "a" (file a.blob) and "a/b" (directory a)
/// coexist, as they can in S3, and marks what is a blob: anything else in the tree (temporary
/// files ending in <see cref="TempSuffix"/>) is ignored by listing.</para>
/// <para>A directory segment that itself ends in ".blob", ".tmp" or "~" gets a "~" appended, so no
/// directory name can ever equal a blob or temp file name; decoding strips that one "~".</para>
/// <para>File names are limited to 255 bytes, so a segment may have at most
/// <see cref="MaxSegmentUtf8Bytes"/> bytes of UTF-8 here (S3 has no such limit).</para>
/// </remarks>
internal static class FileSystemKeyMapping
{
    public const string BlobSuffix = ".blob";
    public const string TempSuffix = ".tmp";
    public const int MaxSegmentUtf8Bytes = 250;
    private const char DirectoryEscape = '~';

    /// <summary>The path of <paramref name="key"/>'s file, relative to the store root.</summary>
    public static string ToRelativePath(string key)
    {
        var segments = key.Split('/');
        var parts = new string[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentUtf8Bytes)
            {
                throw new ArgumentException(
                    $"Each '/'-separated part of a key may have at most {MaxSegmentUtf8Bytes} bytes on the file system store: '{key}'.",
                    nameof(key));
            }

            parts[i] = i == segments.Length - 1 ? segment + BlobSuffix : EncodeDirectory(segment);
        }

        return Path.Combine(parts);
    }

    /// <summary>The directory name for a key segment that is not the last.</summary>
    public static string EncodeDirectory(string segment) =>
        NeedsEscape(segment) ? segment + DirectoryEscape : segment;

    /// <summary>The key segment a directory name stands for.</summary>
    public static string DecodeDirectory(string name) =>
        name.EndsWith(DirectoryEscape) ? name[..^1] : name;

    /// <summary>The key segment a blob file name stands for, or null if the file is not a blob.</summary>
    public static string? DecodeFile(string name) =>
        name.EndsWith(BlobSuffix, StringComparison.Ordinal) && name.Length > BlobSuffix.Length
            ? name[..^BlobSuffix.Length]
            : null;

    private static bool NeedsEscape(string segment) =>
        segment.EndsWith(BlobSuffix, StringComparison.Ordinal)
        || segment.EndsWith(TempSuffix, StringComparison.Ordinal)
        || segment.EndsWith(DirectoryEscape);
}
