namespace Postroom.Config.Compilation;

/// <summary>
/// Secret values the compiler may read (password hashes, smarthost credentials). The operator fills one from
/// the cluster before compiling, the all-in-one host from Secret documents next to the MailDomain files,
/// so compilation itself stays a pure function.
/// </summary>
public interface ISecretSource
{
    SecretLookup TryGet(string? resourceNamespace, string name, string key, out string value);
}

public enum SecretLookup
{
    Found,
    SecretMissing,
    KeyMissing,
}

/// <summary>Secrets held in memory, keyed by namespace, name and key.</summary>
public sealed class InMemorySecretSource : ISecretSource
{
    private readonly Dictionary<(string Namespace, string Name), IReadOnlyDictionary<string, string>> _secrets = [];

    public static InMemorySecretSource Empty => new();

    public InMemorySecretSource Add(string? resourceNamespace, string name, IReadOnlyDictionary<string, string> data)
    {
        _secrets[(resourceNamespace ?? "", name)] = data;
        return this;
    }

    public SecretLookup TryGet(string? resourceNamespace, string name, string key, out string value)
    {
        value = "";
        if (!_secrets.TryGetValue((resourceNamespace ?? "", name), out var data))
        {
            return SecretLookup.SecretMissing;
        }

        if (!data.TryGetValue(key, out var found))
        {
            return SecretLookup.KeyMissing;
        }

        value = found;
        return SecretLookup.Found;
    }
}
