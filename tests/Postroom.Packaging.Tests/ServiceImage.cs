using System.Text.Json;

namespace Postroom.Packaging.Tests;

/// <summary>A service folder with its Dockerfile, project file and appsettings.json.</summary>
internal sealed class ServiceImage
{
    private ServiceImage(string folder)
    {
        Folder = folder;
        Dockerfile = Dockerfile.Load(folder + "/Dockerfile");
        var projects = Directory.GetFiles(Repository.PathOf(folder), "*.csproj");
        Assert.Single(projects);
        Project = ProjectFile.Load(Repository.Relative(projects[0]));
    }

    /// <summary>Every service that ships an image (and only those: delivery-worker and mailbox-access do not exist yet).</summary>
    public static TheoryData<string> Folders => new()
    {
        "services/Postroom.SmtpIngress",
        "operator/Postroom.Operator",
        "services/Postroom.AllInOne",
    };

    public string Folder { get; }

    public Dockerfile Dockerfile { get; }

    public ProjectFile Project { get; }

    /// <summary>The stage that runs <c>dotnet publish</c>.</summary>
    public DockerStage BuildStage => Assert.Single(Dockerfile.Stages, s => s.All("RUN").Any(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal)));

    public static ServiceImage Load(string folder) => new(folder);

    /// <summary>appsettings.json, or null when the service ships none.</summary>
    public JsonDocument? AppSettings()
    {
        var path = Repository.PathOf(Folder + "/appsettings.json");
        return File.Exists(path)
            ? JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
            : null;
    }
}
