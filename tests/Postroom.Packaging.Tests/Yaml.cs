using YamlDotNet.RepresentationModel;

namespace Postroom.Packaging.Tests;

/// <summary>YAML files as YamlDotNet's node model, with small navigation helpers.</summary>
internal static class Yaml
{
    /// <summary>Every document of a (multi-document) file; throws when the file is not valid YAML.</summary>
    public static IReadOnlyList<YamlDocument> LoadAll(string relativePath)
    {
        using var reader = new StreamReader(Repository.PathOf(relativePath));
        var stream = new YamlStream();
        stream.Load(reader);
        return [.. stream.Documents];
    }

    public static YamlNode? Get(this YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The scalar at a path of keys, or null.</summary>
    public static string? Scalar(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node.Get(key);
        }

        return (node as YamlScalarNode)?.Value;
    }

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode sequence ? sequence.Children : [];

    /// <summary>Whether a document holds anything (a trailing <c>---</c> makes an empty one).</summary>
    public static bool IsEmpty(this YamlDocument document) => document.RootNode is YamlScalarNode { Value: null or "" };
}
