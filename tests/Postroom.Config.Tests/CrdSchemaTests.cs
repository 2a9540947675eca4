using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Json.Schema;
using k8s.Models;
using Postroom.Config.Compilation;
using Postroom.Config.Loading;
using Postroom.Config.Model;

namespace Postroom.Config.Tests;

/// <summary>
/// The CRD in the chart and the C# model describe the same resource, and every example a user may apply
/// passes the API server's schema and compiles.
/// </summary>
public sealed class CrdSchemaTests
{
    private static readonly string CrdPath = RepositoryFiles.PathOf("charts/postroom/crds/maildomains.postroom.io.yaml");

    private static readonly JsonNode Crd = YamlToJson.Documents(File.ReadAllText(CrdPath)).Single()!;

    private static readonly JsonObject OpenApiSchema = Crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    /// <summary>The OpenAPI schema as JSON Schema, closed to unknown fields (the API server would prune them silently).</summary>
    private static readonly JsonSchema StrictSchema = JsonSchema.FromText(Strict(OpenApiSchema.DeepClone()).ToJsonString());

    public static TheoryData<string> ExampleFiles() =>
        new(Directory.GetFiles(RepositoryFiles.PathOf("examples"), "*.yaml").Select(Path.GetFileName)!);

    [Fact]
    public void Crd_names_match_the_model()
    {
        var spec = Crd["spec"]!;
        Assert.Equal(MailDomain.KubeGroup, (string?)spec["group"]);
        Assert.Equal(MailDomain.KubeKind, (string?)spec["names"]!["kind"]);
        Assert.Equal(MailDomain.KubePlural, (string?)spec["names"]!["plural"]);
        Assert.Equal($"{MailDomain.KubePlural}.{MailDomain.KubeGroup}", (string?)Crd["metadata"]!["name"]);
        Assert.Equal(MailDomain.KubeVersion, (string?)spec["versions"]![0]!["name"]);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        Assert.NotNull(spec["versions"]![0]!["subresources"]!["status"]);
        Assert.Equal(
            ["Domain", "Users", "Ready", "Age"],
            spec["versions"]![0]!["additionalPrinterColumns"]!.AsArray().Select(c => (string?)c!["name"]));
    }

    [Fact]
    public void Spec_schema_and_model_have_the_same_fields()
    {
        AssertSameShape(typeof(MailDomainSpec), OpenApiSchema["properties"]!["spec"]!.AsObject(), "spec");
    }

    [Fact]
    public void Status_schema_and_model_have_the_same_fields()
    {
        AssertSameShape(typeof(MailDomainStatus), OpenApiSchema["properties"]!["status"]!.AsObject(), "status");
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Examples_pass_the_crd_schema(string file)
    {
        var documents = YamlToJson.Documents(File.ReadAllText(RepositoryFiles.PathOf($"examples/{file}")))
            .Where(d => (string?)d?["kind"] == MailDomain.KubeKind)
            .ToList();

        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            var result = StrictSchema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, Describe(result));
        }
    }

    [Fact]
    public async Task Examples_compile_without_errors()
    {
        var loaded = await MailDomainYamlLoader.LoadDirectoryAsync(RepositoryFiles.PathOf("examples"), CancellationToken.None);
        var result = ConfigCompiler.Compile(loaded.MailDomains, loaded.Secrets);

        Assert.Empty(loaded.Errors);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.NotEmpty(result.Snapshot.Domains);
        Assert.All(result.Resources, r => Assert.True(r.Accepted));
    }

    [Theory]
    [InlineData("spec:\n  domain: example.com\n  userz: []", "unknown field")]
    [InlineData("spec:\n  domain: example.com\n  users: [{ name: postmaster, password: x, quota: true }]", "quota of the wrong type")]
    [InlineData("spec:\n  domain: example.com\n  users: [{ name: postmaster, password: x, quota: 2Gigabytes }]", "quota that is not a quantity")]
    [InlineData("spec:\n  domain: example.com\n  catchAll: { action: bounce }", "catch-all action outside the enum")]
    [InlineData("spec:\n  domain: example.com\n  outbound: { host: relay.example, port: 0 }", "port below 1")]
    [InlineData("spec:\n  aliasDomains: [example.org]", "missing domain")]
    [InlineData("spec:\n  domain: example.com\n  aliases: [{ address: a, targets: [] }]", "alias without targets")]
    public void Schema_rejects_what_the_api_server_would(string spec, string why)
    {
        var document = YamlToJson.Documents($"apiVersion: postroom.io/v1alpha1\nkind: MailDomain\nmetadata: {{ name: x }}\n{spec}").Single();

        Assert.False(StrictSchema.Evaluate(document).IsValid, why);
    }

    private static void AssertSameShape(Type type, JsonObject schema, string path)
    {
        var modelFields = JsonProperties(type).ToDictionary(p => p.Name, p => p.Property, StringComparer.Ordinal);
        var schemaFields = schema["properties"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsObject(), StringComparer.Ordinal);

        Assert.True(
            modelFields.Keys.Order().SequenceEqual(schemaFields.Keys.Order()),
            $"{path}: model has [{string.Join(", ", modelFields.Keys.Order())}], schema has [{string.Join(", ", schemaFields.Keys.Order())}]");

        foreach (var (name, property) in modelFields)
        {
            AssertSameType(property.PropertyType, schemaFields[name], $"{path}.{name}");
        }
    }

    private static void AssertSameType(Type type, JsonObject schema, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(ResourceQuantity))
        {
            Assert.True((bool?)schema["x-kubernetes-int-or-string"] == true, $"{path}: a quantity must be int-or-string");
            return;
        }

        var expected = type switch
        {
            _ when type == typeof(string) || type == typeof(DateTime) => "string",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(int) || type == typeof(long) => "integer",
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) => "array",
            _ => "object",
        };
        Assert.True(expected == (string?)schema["type"], $"{path}: model is {expected}, schema is {schema["type"]}");

        if (expected == "array")
        {
            AssertSameType(type.GetGenericArguments()[0], schema["items"]!.AsObject(), $"{path}[]");
        }
        else if (expected == "object")
        {
            AssertSameShape(type, schema, path);
        }
    }

    private static IEnumerable<(string Name, PropertyInfo Property)> JsonProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, p));

    private static JsonNode Strict(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
            {
                obj.Remove(key);
            }

            foreach (var child in obj.Select(p => p.Value).OfType<JsonNode>().ToList())
            {
                Strict(child);
            }

            if (obj["properties"] is JsonObject && obj["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name == "object")
            {
                obj["additionalProperties"] = false;
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.OfType<JsonNode>())
            {
                Strict(child);
            }
        }

        return node;
    }

    private static string Describe(EvaluationResults result) =>
        string.Join("\n", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
}
