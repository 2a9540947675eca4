using k8s;
using k8s.Models;
using Postroom.Config.Compilation;
using Postroom.Config.Model;
using YamlDotNet.Core;

namespace Postroom.Config.Loading;

/// <summary>
/// Reads <c>MailDomain</c> resources, and the <c>v1 Secret</c>s they reference, from YAML files: the same
/// documents a user would <c>kubectl apply</c>. Unknown fields are errors, not silently dropped.
/// </summary>
public static class MailDomainYamlLoader
{
    private static readonly Dictionary<string, Type> TypeMap = new(StringComparer.Ordinal)
    {
        [$"{MailDomain.KubeApiVersion}/{MailDomain.KubeKind}"] = typeof(MailDomain),
        ["v1/Secret"] = typeof(V1Secret),
    };

    /// <summary>Loads every <c>*.yaml</c> and <c>*.yml</c> file of a directory, in name order.</summary>
    public static async Task<LoadedResources> LoadDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        var result = new LoadedResources();
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            LoadInto(result, Path.GetFileName(file), text);
        }

        return result;
    }

    /// <summary>Loads the documents of one YAML text; <paramref name="source"/> names it in errors.</summary>
    public static LoadedResources Load(string source, string yaml)
    {
        var result = new LoadedResources();
        LoadInto(result, source, yaml);
        return result;
    }

    private static void LoadInto(LoadedResources result, string source, string yaml)
    {
        List<object> documents;
        try
        {
            documents = KubernetesYaml.LoadAllFromString(yaml, TypeMap, strict: true);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException or FormatException)
        {
            result.Errors.Add(new ConfigError(source, Describe(e), ConfigErrorReasons.InvalidSpec, Innermost(e).Message));
            return;
        }

        foreach (var document in documents)
        {
            switch (document)
            {
                case MailDomain domain:
                    result.MailDomains.Add(domain);
                    break;
                case V1Secret secret:
                    result.Secrets.Add(secret.Metadata?.NamespaceProperty, secret.Metadata?.Name ?? "", ReadSecret(secret));
                    break;
            }
        }
    }

    private static Dictionary<string, string> ReadSecret(V1Secret secret)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            data[key] = System.Text.Encoding.UTF8.GetString(value);
        }

        // As in the API server, stringData wins over data for the same key.
        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = value;
        }

        return data;
    }

    private static string Describe(Exception e) =>
        e is YamlException yaml ? $"line {yaml.Start.Line}, column {yaml.Start.Column}" : "document";

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}

/// <summary>Resources read from YAML, with the errors of documents that could not be read.</summary>
public sealed class LoadedResources
{
    public List<MailDomain> MailDomains { get; } = [];

    public InMemorySecretSource Secrets { get; } = new();

    public List<ConfigError> Errors { get; } = [];
}
