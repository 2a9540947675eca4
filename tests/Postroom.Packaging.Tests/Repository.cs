namespace Postroom.Packaging.Tests;

/// <summary>The repository the tests run in: its root, and paths relative to it with forward slashes.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>An absolute path from a repository-relative one (<c>services/X/Dockerfile</c>).</summary>
    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>The repository-relative form of an absolute path, with forward slashes and no trailing one.</summary>
    public static string Relative(string absolute) => Path.GetRelativePath(Root, absolute).Replace(Path.DirectorySeparatorChar, '/').TrimEnd('/');

    public static bool Exists(string relative) => File.Exists(PathOf(relative)) || Directory.Exists(PathOf(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Postroom.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Postroom.slnx not found above " + AppContext.BaseDirectory);
    }
}
