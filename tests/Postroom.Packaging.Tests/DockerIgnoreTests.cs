namespace Postroom.Packaging.Tests;

/// <summary>The build context: host build output, local data and tests stay out; whatever a Dockerfile copies stays in.</summary>
public class DockerIgnoreTests
{
    // Source files a build needs from a copied folder; the Dockerfile itself and *.md are left out on purpose.
    private static readonly string[] BuildInputs = [".cs", ".csproj", ".proto", ".json", ".yaml", ".yml", ".lua", ".props"];

    private static readonly DockerIgnore Ignore = DockerIgnore.Load(".dockerignore");

    [Theory]
    [InlineData(".git/HEAD")]
    [InlineData(".postroom/redis/aof.log")]
    [InlineData("services/Postroom.Config/obj/project.assets.json")]
    [InlineData("services/Postroom.SmtpIngress/bin/Release/net10.0/smtp-ingress.dll")]
    [InlineData("operator/Postroom.Operator/obj/Debug/net10.0/postroom-operator.dll")]
    [InlineData("tests/Postroom.Smtp.Tests/Postroom.Smtp.Tests.csproj")]
    [InlineData("bench/smtp.sh")]
    [InlineData("services/Postroom.SmtpIngress/Dockerfile")]
    public void Leaves_out_build_output_local_state_tests_and_Dockerfiles(string path) =>
        Assert.True(Ignore.IsExcluded(path), $"{path} would be sent to the builder");

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void Keeps_everything_a_Dockerfile_copies(string folder)
    {
        var dockerfile = ServiceImage.Load(folder).Dockerfile;
        var files = dockerfile.Stages.SelectMany(s => s.ContextCopies).SelectMany(c => c.Sources).SelectMany(BuildInputsOf).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.False(Ignore.IsExcluded(file), $"{dockerfile.Path} copies {file}, which .dockerignore leaves out"));
    }

    [Fact]
    public void Later_lines_win_and_double_star_matches_any_depth()
    {
        var ignore = DockerIgnore.Parse(["**/bin", "docs", "!docs/keep.md", "*.tmp"]);

        Assert.True(ignore.IsExcluded("bin"));
        Assert.True(ignore.IsExcluded("a/b/bin/x.dll"));
        Assert.False(ignore.IsExcluded("a/binary.cs"));
        Assert.True(ignore.IsExcluded("docs/other.md"));
        Assert.False(ignore.IsExcluded("docs/keep.md"));
        Assert.True(ignore.IsExcluded("x.tmp"));
        Assert.False(ignore.IsExcluded("a/x.tmp"));
    }

    /// <summary>A copied file itself, or the build inputs under a copied folder (host bin/ and obj/ aside).</summary>
    private static IEnumerable<string> BuildInputsOf(string source)
    {
        var path = Repository.PathOf(source);
        if (!Directory.Exists(path))
        {
            return [source];
        }

        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Select(Repository.Relative)
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
            .Where(f => BuildInputs.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));
    }
}
