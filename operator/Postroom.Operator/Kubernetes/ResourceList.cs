using System.Text.Json.Serialization;
using k8s.Models;

namespace Postroom.Operator.Kubernetes;

/// <summary>A list response of custom objects (<c>items</c> and the list's <c>resourceVersion</c>).</summary>
public sealed class ResourceList<T> : IMetadata<V1ListMeta>
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public List<T> Items { get; set; } = [];
}
