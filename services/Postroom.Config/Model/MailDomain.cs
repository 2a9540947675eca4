using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Postroom.Config.Model;

/// <summary>
/// The <c>MailDomain</c> custom resource (<c>postroom.io/v1alpha1</c>): one hosted mail domain with its
/// users, aliases and policies. The CRD in <c>charts/postroom/crds/</c> is kept in sync with this model by a test.
/// </summary>
public sealed class MailDomain : IKubernetesObject<V1ObjectMeta>, ISpec<MailDomainSpec>, IStatus<MailDomainStatus?>
{
    public const string KubeGroup = "postroom.io";
    public const string KubeVersion = "v1alpha1";
    public const string KubeKind = "MailDomain";
    public const string KubePlural = "maildomains";
    public const string KubeApiVersion = KubeGroup + "/" + KubeVersion;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public MailDomainSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public MailDomainStatus? Status { get; set; }

    /// <summary>"namespace/name" for error messages; a file-loaded resource without namespace is just "name".</summary>
    [JsonIgnore]
    public string DisplayName => string.IsNullOrEmpty(Metadata.NamespaceProperty)
        ? Metadata.Name ?? "(unnamed)"
        : $"{Metadata.NamespaceProperty}/{Metadata.Name}";
}
