using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;
using Postroom.Config.Addressing;

namespace Postroom.Config.Snapshot;

/// <summary>
/// An immutable, versioned view of the compiled configuration with the lookups every service needs:
/// is a domain hosted, where does a recipient go, who is this user. Lookups are dictionary hits; the only
/// per-call work is the extension cascade, bounded by the length of the local part.
/// </summary>
public sealed class ConfigSnapshot
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly FrozenDictionary<string, DomainView> _byDomain;

    private ConfigSnapshot(CompiledConfig config, string json)
    {
        Config = config;
        Json = json;
        Version = ComputeVersion(json);
        var byDomain = new Dictionary<string, DomainView>(StringComparer.Ordinal);
        foreach (var domain in config.Domains)
        {
            var view = new DomainView(domain);
            byDomain[domain.Name] = view;
            foreach (var alias in domain.AliasDomains)
            {
                byDomain[alias] = view;
            }
        }

        _byDomain = byDomain.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>An empty configuration: no hosted domains. Services start with it until a snapshot arrives.</summary>
    public static ConfigSnapshot Empty { get; } = Create(new CompiledConfig([]));

    /// <summary>Content hash of the canonical JSON: equal configurations have equal versions.</summary>
    public string Version { get; }

    public CompiledConfig Config { get; }

    /// <summary>The canonical JSON form, as published to Redis.</summary>
    public string Json { get; }

    public IReadOnlyList<CompiledDomain> Domains => Config.Domains;

    public static ConfigSnapshot Create(CompiledConfig config) =>
        new(config, JsonSerializer.Serialize(config, JsonOptions));

    /// <summary>Loads a snapshot published by the operator. The version is recomputed, so a corrupted payload cannot pose as another version.</summary>
    public static ConfigSnapshot FromJson(string json)
    {
        var config = JsonSerializer.Deserialize<CompiledConfig>(json, JsonOptions)
            ?? throw new JsonException("the snapshot is empty");
        return Create(config);
    }

    /// <summary>True for a hosted domain or one of its alias domains.</summary>
    public bool IsHostedDomain(string domain) => FindDomain(domain) is not null;

    /// <summary>The compiled domain that <paramref name="domain"/> (or an alias domain of it) names.</summary>
    public CompiledDomain? FindDomain(string domain)
    {
        var normalized = _byDomain.ContainsKey(domain) ? domain : DomainName.NormalizeOrNull(domain);
        return normalized is not null && _byDomain.TryGetValue(normalized, out var view) ? view.Domain : null;
    }

    /// <summary>Resolves a recipient through domain aliases, the extension cascade and the catch-all.</summary>
    public RecipientResolution Resolve(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return RecipientResolution.InvalidAddress;
        }

        var domainPart = address[(at + 1)..];
        var normalizedDomain = _byDomain.ContainsKey(domainPart) ? domainPart : DomainName.NormalizeOrNull(domainPart);
        if (normalizedDomain is null)
        {
            return RecipientResolution.InvalidAddress;
        }

        if (!_byDomain.TryGetValue(normalizedDomain, out var view))
        {
            return RecipientResolution.NotHosted;
        }

        // Quoted local parts and other forms that are not dot-strings can never name one of our users.
        return LocalPart.TryNormalize(address[..at], out var local, out _)
            ? view.Resolve(local)
            : RecipientResolution.NoSuchUser;
    }

    /// <summary>Finds a user by login name <c>name@domain</c> (an alias domain works too). Exact names only: no extensions.</summary>
    public UserAccount? FindUser(string login)
    {
        if (!MailAddress.TryParse(login, out var address, out _) || !_byDomain.TryGetValue(address.Domain, out var view))
        {
            return null;
        }

        return view.FindUser(address.LocalPart);
    }

    private static string ComputeVersion(string json)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}

/// <summary>A user of a hosted domain, with the canonical address used for mailboxes.</summary>
public sealed record UserAccount(string Address, CompiledDomain Domain, CompiledUser User);
