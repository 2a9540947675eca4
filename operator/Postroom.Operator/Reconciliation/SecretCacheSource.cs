using System.Text;
using k8s.Models;
using Postroom.Config.Compilation;

namespace Postroom.Operator.Reconciliation;

/// <summary>The compiler's view of the cluster's Secrets, from the watch cache.</summary>
public sealed class SecretCacheSource(IEnumerable<V1Secret> secrets) : ISecretSource
{
    private readonly Dictionary<(string, string), IDictionary<string, byte[]>> _secrets = secrets
        .Where(s => s.Metadata?.Name is not null)
        .ToDictionary(s => (s.Metadata.NamespaceProperty ?? "", s.Metadata.Name), s => s.Data ?? new Dictionary<string, byte[]>());

    public SecretLookup TryGet(string? resourceNamespace, string name, string key, out string value)
    {
        value = "";
        if (!_secrets.TryGetValue((resourceNamespace ?? "", name), out var data))
        {
            return SecretLookup.SecretMissing;
        }

        if (!data.TryGetValue(key, out var bytes))
        {
            return SecretLookup.KeyMissing;
        }

        value = Encoding.UTF8.GetString(bytes);
        return SecretLookup.Found;
    }
}
