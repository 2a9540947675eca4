namespace Postroom.Config.Tests;

/// <summary>Finds files of the repository (the CRD, the examples) from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

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
