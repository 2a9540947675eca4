using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Postroom.Packaging.Tests;

/// <summary>
/// The Dockerfiles read against the repository: what they copy exists and covers the project graph,
/// they publish and start the right assembly, from the official .NET 10 images, as a non-root user.
/// No image is built here (no container engine on these machines).
/// </summary>
public partial class DockerfileTests
{
    private const string SdkImage = "mcr.microsoft.com/dotnet/sdk";
    private const string RuntimeImage = "mcr.microsoft.com/dotnet/aspnet";

    // Restore reads the SDK pin, the root props and the central package versions.
    private static readonly string[] RestoreInputs = ["global.json", "Directory.Build.props", "Directory.Packages.props"];

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void Every_copied_path_exists_in_the_repository(string folder)
    {
        var image = ServiceImage.Load(folder);
        var sources = image.Dockerfile.Stages.SelectMany(s => s.ContextCopies).SelectMany(c => c.Sources).ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.True(Repository.Exists(source), $"{image.Dockerfile.Path} copies {source}, which does not exist"));
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void The_build_stage_copies_every_project_the_service_references_before_publishing(string folder)
    {
        var image = ServiceImage.Load(folder);
        var stage = image.BuildStage;
        var publish = IndexOf(stage, "dotnet publish");
        var closure = ProjectFile.Closure(image.Project.RelativePath);
        var needed = closure.Select(p => p.Folder).Concat(closure.SelectMany(p => p.ExternalInputFolders)).Distinct(StringComparer.Ordinal).ToList();
        var copied = CopiesBefore(stage, publish).SelectMany(c => c.Sources).ToList();

        Assert.Contains(image.Project.Folder, needed);
        Assert.All(needed, path => Assert.True(
            copied.Exists(source => Covers(source, path)),
            $"{image.Dockerfile.Path} does not copy {path} (needed by {image.Project.RelativePath}) before dotnet publish"));
        Assert.Contains(".editorconfig", copied);
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void Project_files_and_root_props_are_copied_before_the_restore_layer(string folder)
    {
        var image = ServiceImage.Load(folder);
        var stage = image.BuildStage;
        var restore = IndexOf(stage, "dotnet restore");
        var copied = CopiesBefore(stage, restore).SelectMany(c => c.Sources).ToList();

        Assert.Contains(image.Project.RelativePath, stage.Instructions[restore].Tokens);
        Assert.All(RestoreInputs, file => Assert.Contains(file, copied));
        // The project files alone, not their folders: the restore layer survives source edits.
        Assert.All(ProjectFile.Closure(image.Project.RelativePath), project => Assert.Contains(project.RelativePath, copied));
        Assert.DoesNotContain(copied, source => Directory.Exists(Repository.PathOf(source)));
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void Copies_keep_the_repository_layout_so_relative_project_references_resolve(string folder)
    {
        var image = ServiceImage.Load(folder);
        var stage = image.BuildStage;
        var copies = stage.ContextCopies.ToList();

        Assert.NotEmpty(copies);
        Assert.All(copies, copy =>
        {
            var workdir = stage.WorkdirAt(stage.Instructions.ToList().IndexOf(copy.Instruction));
            var destination = Absolute(workdir, copy.Destination);
            foreach (var source in copy.Sources)
            {
                var isFolder = Directory.Exists(Repository.PathOf(source));
                var expected = isFolder ? source : (source.Contains('/', StringComparison.Ordinal) ? source[..source.LastIndexOf('/')] : ".");
                Assert.True(destination == Absolute(workdir, expected), $"{copy.Instruction}: {source} should land in {Absolute(workdir, expected)}, not {destination}");
            }
        });
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void Publishes_the_service_project_in_Release_without_restoring_again(string folder)
    {
        var image = ServiceImage.Load(folder);
        var publish = image.BuildStage.Instructions[IndexOf(image.BuildStage, "dotnet publish")];
        var tokens = publish.Tokens;

        Assert.Contains(image.Project.RelativePath, tokens);
        Assert.Contains("--no-restore", tokens);
        Assert.Equal("Release", tokens[tokens.ToList().IndexOf("-c") + 1]);
        Assert.Equal("/app", tokens[tokens.ToList().IndexOf("-o") + 1]);
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void The_entrypoint_starts_the_published_assembly(string folder)
    {
        var image = ServiceImage.Load(folder);
        var final = image.Dockerfile.Final;
        var entrypoint = Assert.Single(final.All("ENTRYPOINT"));
        var copy = Assert.Single(final.All("COPY"), c => c.Flags.ContainsKey("from"));

        Assert.Equal(new[] { "dotnet", image.Project.AssemblyName + ".dll" }, entrypoint.Values);
        Assert.Equal(image.BuildStage.Name, copy.Flags["from"]);
        Assert.Equal("/app", DockerCopy.Normalize(copy.Values[0]).Insert(0, "/"));
        Assert.Equal("/app", final.WorkdirAt(final.Instructions.Count));
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void Builds_on_the_official_dotnet_10_sdk_and_runs_on_the_aspnet_runtime(string folder)
    {
        var image = ServiceImage.Load(folder);

        Assert.True(IsDotnet10(image.BuildStage.Image, SdkImage), $"build stage FROM {image.BuildStage.Image}");
        Assert.True(IsDotnet10(image.Dockerfile.Final.Image, RuntimeImage), $"runtime stage FROM {image.Dockerfile.Final.Image}");
        Assert.NotSame(image.BuildStage, image.Dockerfile.Final);
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void The_runtime_stage_runs_as_a_numeric_non_root_user(string folder)
    {
        var final = ServiceImage.Load(folder).Dockerfile.Final;
        var last = final.All("USER").LastOrDefault();
        Assert.NotNull(last);
        var user = last.Values[0];
        var uid = user.Split(':')[0];

        // Kubernetes' runAsNonRoot can only verify a numeric UID; $APP_UID is 1654 in the .NET images.
        Assert.True(
            uid is "$APP_UID" or "${APP_UID}" || (uint.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0),
            $"USER {user} is not a numeric non-root user");
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void The_app_folder_stays_root_owned_and_unwritten(string folder)
    {
        var final = ServiceImage.Load(folder).Dockerfile.Final;
        var copies = final.All("COPY").Concat(final.All("ADD")).ToList();

        // Root-owned files the app user cannot change: a read-only root filesystem loses nothing.
        Assert.NotEmpty(copies);
        Assert.All(copies, c => Assert.False(c.Flags.ContainsKey("chown") || c.Flags.ContainsKey("chmod"), c.ToString()));
        Assert.All(final.All("RUN"), r => Assert.DoesNotContain(r.Tokens, t => t == "/app" || t.StartsWith("/app/", StringComparison.Ordinal)));
        Assert.All(final.Environment.Where(e => e.Key.EndsWith("Directory", StringComparison.Ordinal) && !e.Key.StartsWith("Config", StringComparison.Ordinal)),
            e => Assert.False(e.Value.StartsWith("/app", StringComparison.Ordinal), $"{e.Key}={e.Value} is a writable directory under /app"));
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void Exposes_exactly_the_configured_ports_all_unprivileged(string folder)
    {
        var image = ServiceImage.Load(folder);
        var exposed = image.Dockerfile.Final.All("EXPOSE").SelectMany(e => e.Values)
            .Select(p => int.Parse(p.Split('/')[0], CultureInfo.InvariantCulture)).ToHashSet();
        var configured = EffectiveSettings(image).Where(s => s.Key.EndsWith("__Port", StringComparison.OrdinalIgnoreCase))
            .Select(s => int.Parse(s.Value, CultureInfo.InvariantCulture)).ToHashSet();

        Assert.NotEmpty(configured);
        Assert.Equal(configured.Order(), exposed.Order());
        Assert.All(exposed, port => Assert.InRange(port, 1024, 65535));
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void No_listener_stays_on_loopback_inside_the_container(string folder)
    {
        var image = ServiceImage.Load(folder);
        var addresses = EffectiveSettings(image).Where(s => s.Key.EndsWith("__Address", StringComparison.OrdinalIgnoreCase)).ToList();
        var overrides = image.Dockerfile.Final.Environment.Where(e => e.Key.EndsWith("__Address", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.All(addresses, a => Assert.False(IsLoopback(a.Value), $"{a.Key}={a.Value}: unreachable from outside the container"));
        // Every override names a setting appsettings.json has, so a renamed listener is not silently missed.
        Assert.All(overrides, o => Assert.Contains(AppSettingsLeaves(image), l => l.Key.Equals(o.Key, StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [MemberData(nameof(ServiceImage.Folders), MemberType = typeof(ServiceImage))]
    public void No_secret_is_baked_into_the_image(string folder)
    {
        var dockerfile = ServiceImage.Load(folder).Dockerfile;
        var variables = dockerfile.Stages.SelectMany(s => s.All("ENV").Concat(s.All("ARG"))).SelectMany(Dockerfile.KeyValues).Select(kv => kv.Key).ToList();
        var sources = dockerfile.Stages.SelectMany(s => s.ContextCopies).SelectMany(c => c.Sources).ToList();

        Assert.NotEmpty(sources);
        Assert.DoesNotContain(variables, v => SecretName().IsMatch(v));
        Assert.DoesNotContain(sources, s => SecretFile().IsMatch(s));
    }

    [Fact]
    public void The_all_in_one_image_writes_only_to_its_data_volume_and_reads_the_examples()
    {
        var image = ServiceImage.Load("services/Postroom.AllInOne");
        var final = image.Dockerfile.Final;
        var env = final.Environment;
        var host = string.Concat(Directory.GetFiles(Repository.PathOf(image.Folder), "*.cs").Select(File.ReadAllText));

        // The keys the host reads (besides --data-dir and --config-dir).
        Assert.Contains("\"DataDirectory\"", host, StringComparison.Ordinal);
        Assert.Contains("\"ConfigDirectory\"", host, StringComparison.Ordinal);

        var data = env["DataDirectory"];
        Assert.StartsWith("/", data, StringComparison.Ordinal);
        Assert.False(data.StartsWith("/app", StringComparison.Ordinal));
        Assert.Contains(data, final.All("VOLUME").SelectMany(v => v.Values));
        Assert.Contains(final.All("RUN"), r => r.Arguments.Contains("chown", StringComparison.Ordinal) && r.Tokens.Contains(data));
        Assert.True(final.Instructions.ToList().FindLastIndex(i => i.Keyword == "RUN") < final.Instructions.ToList().FindLastIndex(i => i.Keyword == "USER"));

        var examples = Assert.Single(final.ContextCopies, c => c.Sources.Contains("examples"));
        Assert.Equal(env["ConfigDirectory"], Absolute(final.WorkdirAt(final.Instructions.ToList().IndexOf(examples.Instruction)), examples.Destination));
        Assert.NotEmpty(Directory.GetFiles(Repository.PathOf("examples"), "*.yaml"));
    }

    [Fact]
    public void The_parser_reads_stages_continuations_and_exec_form()
    {
        var dockerfile = Dockerfile.Parse("test", [
            "# syntax comment",
            "FROM --platform=$BUILDPLATFORM example/sdk:1 AS build",
            "WORKDIR /src",
            "COPY a.txt \\",
            "  # a comment inside a continuation",
            "  dir/ ./",
            "FROM example/runtime:1",
            "WORKDIR app",
            "ENV A=1 \\",
            "    B=\"two words\"",
            "ENTRYPOINT [\"dotnet\", \"x.dll\"]",
        ]);

        Assert.Equal(2, dockerfile.Stages.Count);
        Assert.Equal(("example/sdk:1", "build"), (dockerfile.Stages[0].Image, dockerfile.Stages[0].Name));
        var copy = Assert.Single(dockerfile.Stages[0].ContextCopies);
        Assert.Equal(new[] { "a.txt", "dir" }, copy.Sources);
        Assert.Equal("/app", dockerfile.Final.WorkdirAt(dockerfile.Final.Instructions.Count));
        Assert.Equal("two words", dockerfile.Final.Environment["B"]);
        Assert.Equal(new[] { "dotnet", "x.dll" }, Assert.Single(dockerfile.Final.All("ENTRYPOINT")).Values);
    }

    /// <summary>Settings from appsettings.json with the image's ENV overrides applied, keyed as environment variables.</summary>
    private static Dictionary<string, string> EffectiveSettings(ServiceImage image)
    {
        var settings = AppSettingsLeaves(image).ToDictionary(l => l.Key, l => l.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in image.Dockerfile.Final.Environment)
        {
            if (settings.ContainsKey(key))
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    private static List<KeyValuePair<string, string>> AppSettingsLeaves(ServiceImage image)
    {
        using var json = image.AppSettings();
        Assert.NotNull(json);
        var leaves = new List<KeyValuePair<string, string>>();
        Collect(json.RootElement, "", leaves);
        return leaves;
    }

    private static void Collect(JsonElement element, string prefix, List<KeyValuePair<string, string>> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, prefix.Length == 0 ? property.Name : prefix + "__" + property.Name, leaves);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, prefix + "__" + index.ToString(CultureInfo.InvariantCulture), leaves);
                    index++;
                }

                break;
            default:
                leaves.Add(new(prefix, element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText()));
                break;
        }
    }

    private static int IndexOf(DockerStage stage, string command)
    {
        var index = stage.Instructions.ToList().FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains(command, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no RUN {command} in the build stage");
        return index;
    }

    private static IEnumerable<DockerCopy> CopiesBefore(DockerStage stage, int index) =>
        stage.ContextCopies.Where(c => stage.Instructions.ToList().IndexOf(c.Instruction) < index);

    private static bool Covers(string source, string path) =>
        source == "." || path == source || path.StartsWith(source + "/", StringComparison.Ordinal);

    private static string Absolute(string workdir, string destination)
    {
        var path = destination.StartsWith('/') ? destination : workdir.TrimEnd('/') + "/" + destination;
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }

    private static bool IsDotnet10(string image, string repository) =>
        image == repository + ":10.0" || image.StartsWith(repository + ":10.0-", StringComparison.Ordinal);

    private static bool IsLoopback(string address) =>
        address is "localhost" or "::1" or "[::1]" || address.StartsWith("127.", StringComparison.Ordinal);

    [GeneratedRegex("(?i)(password|passwd|secret|token|api_?key|access_?key|credential)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)\.(pfx|p12|pem|key|crt|env)$")]
    private static partial Regex SecretFile();
}
