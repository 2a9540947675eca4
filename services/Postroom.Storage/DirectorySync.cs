using System.Runtime.InteropServices;

namespace Postroom.Storage;

/// <summary>
/// fsync(2) of a directory, which makes a rename or unlink in it durable: without it a crash
/// right after a put can lose the new directory entry even though the file's data was flushed.
/// </summary>
/// <remarks>
/// .NET has no API for this: <c>File.OpenHandle</c> and <c>FileStream</c> refuse directories
/// (UnauthorizedAccessException on Linux, checked with .NET 10), so the handle comes from libc's
/// open(2) with O_RDONLY, which Linux and macOS allow on a directory. O_DIRECTORY is left out
/// because its value differs between CPU architectures. Windows has no directory fsync (NTFS
/// journals metadata itself), so this does nothing there.
/// </remarks>
internal static partial class DirectorySync
{
    private const int ORdOnly = 0;
    private const int EIntr = 4;

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // O_CLOEXEC is 0x80000 on Linux (all architectures) and 0x1000000 on macOS.
        var flags = ORdOnly | (OperatingSystem.IsLinux() ? 0x80000 : OperatingSystem.IsMacOS() ? 0x1000000 : 0);
        var fd = Open(directory, flags);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            int result;
            do
            {
                result = FSync(fd);
            }
            while (result != 0 && Marshal.GetLastPInvokeError() == EIntr);

            if (result != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
