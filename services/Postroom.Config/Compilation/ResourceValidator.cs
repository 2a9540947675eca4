using Postroom.Config.Addressing;
using Postroom.Config.Model;
using Postroom.Config.Snapshot;
using Postroom.Passwords;

namespace Postroom.Config.Compilation;

/// <summary>
/// Checks every field of one resource on its own and turns it into a <see cref="DomainDraft"/>. Every error is
/// collected, not just the first, so a user fixes a resource in one round.
/// </summary>
internal static class ResourceValidator
{
    private const string Postmaster = "postmaster";

    public static DomainDraft Validate(MailDomain resource, ISecretSource secrets)
    {
        var spec = resource.Spec ?? new MailDomainSpec();
        DomainName.TryNormalize(spec.Domain, out var domain, out var domainError);
        var draft = new DomainDraft(resource, domain);
        if (string.IsNullOrEmpty(resource.Metadata?.Name))
        {
            draft.Error("metadata.name", "a name is required");
        }

        if (domain.Length == 0)
        {
            draft.Error("spec.domain", domainError);
        }

        ValidateAliasDomains(spec, draft);
        ValidateDelimiters(spec, draft);
        ValidateUsers(spec, draft, secrets);
        ValidateAliases(spec, draft);
        ValidateCatchAll(spec, draft);
        ValidateLimits(spec, draft);
        ValidateOutbound(spec, draft, secrets);
        ValidateReclaimPolicy(spec, draft);

        // RFC 5321 §4.5.1: every domain must accept mail for postmaster.
        if (!draft.DeclaredUsers.Contains(Postmaster) && !draft.Aliases.ContainsKey(Postmaster))
        {
            draft.Error("spec.users", "the domain has no postmaster: add a user or an alias named 'postmaster' (RFC 5321 §4.5.1)");
        }

        return draft;
    }

    private static void ValidateAliasDomains(MailDomainSpec spec, DomainDraft draft)
    {
        for (var i = 0; i < (spec.AliasDomains?.Count ?? 0); i++)
        {
            var field = $"spec.aliasDomains[{i}]";
            if (!DomainName.TryNormalize(spec.AliasDomains![i], out var alias, out var error))
            {
                draft.Error(field, error);
            }
            else if (alias == draft.Domain)
            {
                draft.Error(field, $"'{alias}' is the domain itself");
            }
            else if (draft.AliasDomains.Contains(alias))
            {
                draft.Error(field, $"'{alias}' is listed twice");
            }
            else
            {
                draft.AliasDomains.Add(alias);
            }
        }
    }

    private static void ValidateDelimiters(MailDomainSpec spec, DomainDraft draft)
    {
        if (spec.ExtensionDelimiters is null)
        {
            return;
        }

        var delimiters = "";
        for (var i = 0; i < spec.ExtensionDelimiters.Count; i++)
        {
            var value = spec.ExtensionDelimiters[i];
            var field = $"spec.extensionDelimiters[{i}]";
            if (value is not { Length: 1 } || value[0] == '.' || !LocalPart.IsAtext(value[0]) || value[0] > 0x7F)
            {
                draft.Error(field, $"'{value}' is not a single ASCII character allowed in a local part (such as '+', '-' or '_')");
            }
            else if (delimiters.Contains(value[0], StringComparison.Ordinal))
            {
                draft.Error(field, $"'{value}' is listed twice");
            }
            else
            {
                delimiters += value;
            }
        }

        draft.Delimiters = delimiters;
    }

    private static void ValidateUsers(MailDomainSpec spec, DomainDraft draft, ISecretSource secrets)
    {
        for (var i = 0; i < (spec.Users?.Count ?? 0); i++)
        {
            var user = spec.Users![i];
            var path = $"spec.users[{i}]";
            if (!LocalPart.TryNormalize(user.Name, out var name, out var nameError))
            {
                draft.Error($"{path}.name", nameError);
            }
            else if (!draft.DeclaredUsers.Add(name))
            {
                draft.Error($"{path}.name", $"user '{name}' is defined twice");
                name = "";
            }

            var hash = ReadPasswordHash(user, path, draft, secrets);
            var quota = ReadQuantity(user.Quota, $"{path}.quota", draft, allowZero: true);
            var protocols = ReadProtocols(user.Protocols, $"{path}.protocols", draft);
            if (name.Length > 0 && hash is not null)
            {
                draft.Users[name] = new CompiledUser(name, user.DisplayName, hash, quota, protocols, user.Enabled ?? true);
            }
        }
    }

    private static string? ReadPasswordHash(MailUserSpec user, string path, DomainDraft draft, ISecretSource secrets)
    {
        string hash;
        string field;
        if (user.Password is not null && user.PasswordSecretRef is not null)
        {
            draft.Error($"{path}.password", "set either password or passwordSecretRef, not both");
            return null;
        }

        if (user.Password is not null)
        {
            (hash, field) = (user.Password, $"{path}.password");
        }
        else if (user.PasswordSecretRef is { } secretRef)
        {
            field = $"{path}.passwordSecretRef";
            if (!TryReadSecret(secretRef.Name, secretRef.Key, field, draft, secrets, out hash))
            {
                return null;
            }

            hash = hash.Trim();
        }
        else
        {
            draft.Error($"{path}.password", "a password hash or passwordSecretRef is required");
            return null;
        }

        var scheme = PasswordHasher.Identify(hash);
        if (!scheme.IsSupported)
        {
            draft.Error(field, scheme.Reason ?? "unsupported password hash");
            return null;
        }

        return hash;
    }

    private static bool TryReadSecret(string? name, string? key, string field, DomainDraft draft, ISecretSource secrets, out string value)
    {
        value = "";
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(key))
        {
            draft.Error(field, "a Secret name and key are required");
            return false;
        }

        switch (secrets.TryGet(draft.Resource.Metadata?.NamespaceProperty, name, key, out value))
        {
            case SecretLookup.SecretMissing:
                draft.Error($"{field}.name", $"Secret '{name}' does not exist", ConfigErrorReasons.SecretNotFound);
                return false;
            case SecretLookup.KeyMissing:
                draft.Error($"{field}.key", $"Secret '{name}' has no key '{key}'", ConfigErrorReasons.SecretNotFound);
                return false;
            default:
                return true;
        }
    }

    private static MailProtocols ReadProtocols(List<string>? protocols, string field, DomainDraft draft)
    {
        if (protocols is null)
        {
            return MailProtocols.All;
        }

        var result = MailProtocols.None;
        for (var i = 0; i < protocols.Count; i++)
        {
            var protocol = protocols[i]?.ToLowerInvariant() switch
            {
                "smtp" => MailProtocols.Smtp,
                "imap" => MailProtocols.Imap,
                "pop3" => MailProtocols.Pop3,
                _ => MailProtocols.None,
            };
            if (protocol == MailProtocols.None)
            {
                draft.Error($"{field}[{i}]", $"'{protocols[i]}' is not a protocol; use smtp, imap or pop3");
            }
            else if ((result & protocol) != 0)
            {
                draft.Error($"{field}[{i}]", $"'{protocols[i]}' is listed twice");
            }

            result |= protocol;
        }

        return result;
    }

    private static void ValidateAliases(MailDomainSpec spec, DomainDraft draft)
    {
        for (var i = 0; i < (spec.Aliases?.Count ?? 0); i++)
        {
            var alias = spec.Aliases![i];
            var path = $"spec.aliases[{i}]";
            if (!LocalPart.TryNormalize(alias.Address, out var address, out var error))
            {
                draft.Error($"{path}.address", error);
                continue;
            }

            if (draft.DeclaredUsers.Contains(address))
            {
                draft.Error($"{path}.address", $"'{address}' is already a user");
                continue;
            }

            if (draft.Aliases.ContainsKey(address))
            {
                draft.Error($"{path}.address", $"alias '{address}' is defined twice");
                continue;
            }

            if (alias.Targets is not { Count: > 0 })
            {
                draft.Error($"{path}.targets", "an alias needs at least one target");
                continue;
            }

            draft.Aliases[address] = new AliasDraft(address, i, alias.Targets);
        }
    }

    private static void ValidateCatchAll(MailDomainSpec spec, DomainDraft draft)
    {
        if (spec.CatchAll is null)
        {
            return;
        }

        draft.CatchAll = spec.CatchAll.Action?.ToLowerInvariant() switch
        {
            null or CatchAllActions.Reject => CatchAllAction.Reject,
            CatchAllActions.Deliver => CatchAllAction.Deliver,
            CatchAllActions.Discard => CatchAllAction.Discard,
            _ => Invalid(draft, "spec.catchAll.action", $"'{spec.CatchAll.Action}' is not a catch-all action; use reject, deliver or discard"),
        };
        if (draft.CatchAll == CatchAllAction.Deliver && string.IsNullOrEmpty(spec.CatchAll.Target))
        {
            draft.Error("spec.catchAll.target", "deliver needs a target user or address");
        }
        else if (draft.CatchAll != CatchAllAction.Deliver && spec.CatchAll.Target is not null)
        {
            draft.Error("spec.catchAll.target", $"a target only makes sense with action deliver, not {draft.CatchAll.ToString().ToLowerInvariant()}");
        }

        draft.CatchAllTarget = spec.CatchAll.Target;
    }

    private static void ValidateLimits(MailDomainSpec spec, DomainDraft draft) =>
        draft.MaxMessageSize = ReadQuantity(spec.Limits?.MaxMessageSize, "spec.limits.maxMessageSize", draft, allowZero: false);

    private static void ValidateOutbound(MailDomainSpec spec, DomainDraft draft, ISecretSource secrets)
    {
        if (spec.Outbound is not { } outbound)
        {
            return;
        }

        if (!DomainName.TryNormalize(outbound.Host, out var host, out var hostError))
        {
            draft.Error("spec.outbound.host", hostError);
        }

        var implicitTls = outbound.ImplicitTls ?? false;
        var port = outbound.Port ?? (implicitTls ? 465 : 587);
        if (port is < 1 or > 65535)
        {
            draft.Error("spec.outbound.port", $"{port} is not a TCP port");
        }

        var tls = outbound.Tls?.ToLowerInvariant() switch
        {
            null or TlsPolicies.Required => TlsPolicy.Required,
            TlsPolicies.None => TlsPolicy.None,
            TlsPolicies.Opportunistic => TlsPolicy.Opportunistic,
            TlsPolicies.Verify => TlsPolicy.Verify,
            _ => Invalid(draft, "spec.outbound.tls", $"'{outbound.Tls}' is not a TLS policy; use none, opportunistic, required or verify", TlsPolicy.Required),
        };
        if (implicitTls && tls is TlsPolicy.None or TlsPolicy.Opportunistic)
        {
            draft.Error("spec.outbound.tls", "implicitTls always encrypts; use tls required or verify with it");
        }

        string? username = null, password = null;
        if (outbound.CredentialsSecretRef is { } credentials)
        {
            const string field = "spec.outbound.credentialsSecretRef";
            if (TryReadSecret(credentials.Name, credentials.UsernameKey ?? "username", field, draft, secrets, out var user)
                && TryReadSecret(credentials.Name, credentials.PasswordKey ?? "password", field, draft, secrets, out var pass))
            {
                (username, password) = (user, pass);
            }

            if (tls == TlsPolicy.None)
            {
                draft.Error("spec.outbound.tls", "credentials are never sent without TLS; use required or verify");
            }
        }

        draft.Outbound = new CompiledOutbound(host, port, tls, implicitTls, username, password);
    }

    private static void ValidateReclaimPolicy(MailDomainSpec spec, DomainDraft draft) =>
        draft.ReclaimPolicy = spec.ReclaimPolicy switch
        {
            null or "Retain" => ReclaimPolicy.Retain,
            "Delete" => ReclaimPolicy.Delete,
            _ => Invalid(draft, "spec.reclaimPolicy", $"'{spec.ReclaimPolicy}' is not a reclaim policy; use Retain or Delete", ReclaimPolicy.Retain),
        };

    private static long? ReadQuantity(k8s.Models.ResourceQuantity? quantity, string field, DomainDraft draft, bool allowZero)
    {
        if (quantity is null)
        {
            return null;
        }

        decimal value;
        try
        {
            value = quantity.ToDecimal();
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            draft.Error(field, $"'{quantity}' is not a quantity such as 500Mi or 2Gi");
            return null;
        }

        if (value < 0 || (!allowZero && value == 0) || value != decimal.Truncate(value) || value > long.MaxValue)
        {
            draft.Error(field, $"'{quantity}' must be a whole number of bytes{(allowZero ? "" : " above zero")}");
            return null;
        }

        return (long)value;
    }

    private static CatchAllAction Invalid(DomainDraft draft, string field, string message) =>
        Invalid(draft, field, message, CatchAllAction.Reject);

    private static T Invalid<T>(DomainDraft draft, string field, string message, T fallback)
    {
        draft.Error(field, message);
        return fallback;
    }
}
