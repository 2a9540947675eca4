using k8s;
using System.Text.Json.Serialization;
using Postroom.Config.Compilation;
using Postroom.Config.Model;

namespace Postroom.Operator.Reconciliation;

/// <summary>
/// The last accepted generation of one resource, with the Secret values it read, so the operator can keep
/// serving it while a newer generation is invalid. Secret references are renamed to names no real Secret can
/// have (they contain a slash), so the stored values never mix with the cluster's current ones.
/// </summary>
public sealed class LastGoodSpec
{
    [JsonPropertyName("uid")]
    public string Uid { get; init; } = "";

    /// <summary>The normalised domain it owned: the one a Delete reclaim policy purges.</summary>
    [JsonPropertyName("domain")]
    public string Domain { get; init; } = "";

    [JsonPropertyName("generation")]
    public long Generation { get; init; }

    [JsonPropertyName("resource")]
    public MailDomain Resource { get; init; } = new();

    /// <summary>Renamed Secret name → key → value.</summary>
    [JsonPropertyName("secrets")]
    public Dictionary<string, Dictionary<string, string>> Secrets { get; init; } = [];

    public string ToJson() => KubernetesJson.Serialize(this);

    public static LastGoodSpec? FromJson(string json) => KubernetesJson.Deserialize<LastGoodSpec>(json);

    /// <summary>Captures an accepted resource with the values of the Secret keys it references.</summary>
    public static LastGoodSpec Capture(MailDomain resource, string domain, ISecretSource secrets)
    {
        var copy = KubernetesJson.Deserialize<MailDomain>(KubernetesJson.Serialize(resource));
        copy.Status = null;
        var uid = resource.Metadata.Uid ?? "";
        var captured = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var ns = resource.Metadata.NamespaceProperty;

        string Rename(string name) => $"last-good/{uid}/{name}";

        void Copy(string? name, string key)
        {
            if (name is null || secrets.TryGet(ns, name, key, out var value) != SecretLookup.Found)
            {
                return;
            }

            if (!captured.TryGetValue(Rename(name), out var data))
            {
                captured[Rename(name)] = data = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            data[key] = value;
        }

        foreach (var user in copy.Spec.Users ?? [])
        {
            if (user.PasswordSecretRef is { Name: { } name, Key: { } key })
            {
                Copy(name, key);
                user.PasswordSecretRef.Name = Rename(name);
            }
        }

        if (copy.Spec.Outbound?.CredentialsSecretRef is { Name: { } credentials } reference)
        {
            Copy(credentials, reference.UsernameKey ?? "username");
            Copy(credentials, reference.PasswordKey ?? "password");
            reference.Name = Rename(credentials);
        }

        return new LastGoodSpec { Uid = uid, Domain = domain, Generation = resource.Metadata.Generation ?? 0, Resource = copy, Secrets = captured };
    }
}

/// <summary>The cluster's Secrets with the stored values of last-good specs laid over them.</summary>
public sealed class OverlaySecretSource(ISecretSource inner, IEnumerable<LastGoodSpec> lastGood) : ISecretSource
{
    private readonly Dictionary<(string Namespace, string Name), Dictionary<string, string>> _overlay = lastGood
        .SelectMany(s => s.Secrets.Select(p => (Key: (s.Resource.Metadata.NamespaceProperty ?? "", p.Key), p.Value)))
        .GroupBy(p => p.Key)
        .ToDictionary(g => g.Key, g => g.First().Value);

    public SecretLookup TryGet(string? resourceNamespace, string name, string key, out string value)
    {
        if (_overlay.TryGetValue((resourceNamespace ?? "", name), out var data))
        {
            value = data.TryGetValue(key, out var found) ? found : "";
            return found is null ? SecretLookup.KeyMissing : SecretLookup.Found;
        }

        return inner.TryGet(resourceNamespace, name, key, out value);
    }
}
