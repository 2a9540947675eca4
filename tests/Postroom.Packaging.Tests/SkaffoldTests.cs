using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Postroom.Packaging.Tests;

/// <summary>skaffold.yaml read against the repository (no skaffold or cluster runs here).</summary>
public partial class SkaffoldTests
{
    private static readonly Dictionary<string, string> ExpectedImages = new(StringComparer.Ordinal)
    {
        ["postroom/smtp-ingress"] = "services/Postroom.SmtpIngress/Dockerfile",
        ["postroom/operator"] = "operator/Postroom.Operator/Dockerfile",
        ["postroom/all-in-one"] = "services/Postroom.AllInOne/Dockerfile",
    };

    private static readonly string[] ExpectedManifests =
    [
        "charts/postroom/crds/maildomains.postroom.io.yaml",
        "operator/deploy/rbac.yaml",
        "examples/example-com.yaml",
    ];

    private static readonly YamlNode Config = Assert.Single(Yaml.LoadAll("skaffold.yaml")).RootNode;

    [Fact]
    public void Is_a_skaffold_v4_config()
    {
        Assert.StartsWith("skaffold/v4", Config.Scalar("apiVersion"), StringComparison.Ordinal);
        Assert.Equal("Config", Config.Scalar("kind"));
    }

    [Fact]
    public void Builds_each_service_image_from_its_Dockerfile_with_the_repository_as_context()
    {
        var artifacts = Config.Get("build").Get("artifacts").Items().ToList();
        var images = artifacts.ToDictionary(a => a.Scalar("image")!, a => a, StringComparer.Ordinal);

        Assert.Equal(ExpectedImages.Keys.Order(StringComparer.Ordinal), images.Keys.Order(StringComparer.Ordinal));
        Assert.All(ExpectedImages, expected =>
        {
            var artifact = images[expected.Key];
            var context = artifact.Scalar("context") ?? ".";
            var dockerfile = artifact.Scalar("docker", "dockerfile");

            Assert.Equal(".", DockerCopy.Normalize(context));
            Assert.Equal(expected.Value, dockerfile);
            Assert.True(File.Exists(Repository.PathOf(Path.Combine(context, dockerfile!))), $"{dockerfile} does not exist");
        });
    }

    [Fact]
    public void Every_Dockerfile_in_the_repository_is_built()
    {
        var built = Config.Get("build").Get("artifacts").Items().Select(a => a.Scalar("docker", "dockerfile")).ToHashSet(StringComparer.Ordinal);
        var dockerfiles = Directory.EnumerateFiles(Repository.Root, "Dockerfile", SearchOption.AllDirectories)
            .Select(Repository.Relative)
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or ".git"))
            .ToList();

        Assert.NotEmpty(dockerfiles);
        Assert.All(dockerfiles, f => Assert.Contains(f, built));
    }

    [Fact]
    public void Images_stay_in_the_local_daemon()
    {
        Assert.Equal("false", Config.Scalar("build", "local", "push"));
    }

    [Fact]
    public void Every_raw_manifest_exists_and_parses_as_Kubernetes_objects()
    {
        var manifests = RawManifests();

        Assert.All(ExpectedManifests, m => Assert.Contains(m, manifests));
        Assert.All(manifests, manifest =>
        {
            Assert.True(File.Exists(Repository.PathOf(manifest)), $"{manifest} does not exist");
            var documents = Yaml.LoadAll(manifest).Where(d => !d.IsEmpty()).ToList();
            Assert.NotEmpty(documents);
            Assert.All(documents, d =>
            {
                Assert.False(string.IsNullOrEmpty(d.RootNode.Scalar("apiVersion")), $"{manifest}: a document without apiVersion");
                Assert.False(string.IsNullOrEmpty(d.RootNode.Scalar("kind")), $"{manifest}: a document without kind");
                Assert.False(string.IsNullOrEmpty(d.RootNode.Scalar("metadata", "name")), $"{manifest}: a document without metadata.name");
            });
        });
    }

    [Fact]
    public void The_pre_deploy_hook_creates_the_namespaces_and_waits_for_the_CRDs_the_manifests_need()
    {
        var hooks = string.Join('\n', Config.Get("deploy").Get("kubectl").Get("hooks").Get("before").Items()
            .SelectMany(h => h.Get("host").Get("command").Items()).OfType<YamlScalarNode>().Select(s => s.Value));
        var objects = RawManifests().SelectMany(Yaml.LoadAll).Where(d => !d.IsEmpty()).Select(d => d.RootNode).ToList();
        var namespaces = objects.Select(o => o.Scalar("metadata", "namespace")).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var crds = objects.Where(o => o.Scalar("kind") == "CustomResourceDefinition").Select(o => o.Scalar("metadata", "name")!).ToList();
        var applied = AppliedFile().Matches(hooks).Select(m => m.Groups[1].Value).Where(f => f != "-").ToList();

        Assert.NotEmpty(crds);
        Assert.All(applied, f => Assert.True(File.Exists(Repository.PathOf(f)), $"the hook applies {f}, which does not exist"));
        Assert.All(namespaces, ns => Assert.Contains($"create namespace {ns} ", hooks, StringComparison.Ordinal));
        Assert.Contains("--for=condition=Established", hooks, StringComparison.Ordinal);
        Assert.All(crds, crd => Assert.Contains($"crd/{crd}", hooks, StringComparison.Ordinal));
        Assert.All(RawManifests().Where(m => Yaml.LoadAll(m).Any(d => d.RootNode.Scalar("kind") == "CustomResourceDefinition")), m => Assert.Contains(m, applied));
    }

    private static List<string> RawManifests() =>
        Config.Get("manifests").Get("rawYaml").Items().OfType<YamlScalarNode>().Select(s => s.Value!).ToList();

    [GeneratedRegex(@"-f\s+(\S+?);?(?:\s|$)")]
    private static partial Regex AppliedFile();
}
