using System.Collections.Frozen;
using Postroom.Config.Addressing;

namespace Postroom.Config.Snapshot;

/// <summary>Lookup tables for one compiled domain, with the answers for exact matches computed once.</summary>
internal sealed class DomainView
{
    private readonly FrozenDictionary<string, Entry> _entries;
    private readonly RecipientResolution _catchAll;

    public DomainView(CompiledDomain domain)
    {
        Domain = domain;
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var user in domain.Users)
        {
            var address = $"{user.Name}@{domain.Name}";
            var resolution = user.Enabled
                ? new RecipientResolution(ResolutionKind.Deliver, [DeliveryTarget.Local(address)], address)
                : RecipientResolution.MailboxDisabled;
            entries[user.Name] = new Entry(new UserAccount(address, domain, user), IsAlias: false, resolution);
        }

        foreach (var alias in domain.Aliases)
        {
            var address = $"{alias.Address}@{domain.Name}";
            var kind = alias.Targets.Count == 0 ? ResolutionKind.Discard : ResolutionKind.Deliver;
            entries[alias.Address] = new Entry(null, IsAlias: true, new RecipientResolution(kind, alias.Targets, address));
        }

        _entries = entries.ToFrozenDictionary(StringComparer.Ordinal);
        _catchAll = domain.CatchAll.Action switch
        {
            CatchAllAction.Deliver => new RecipientResolution(ResolutionKind.Deliver, domain.CatchAll.Targets),
            CatchAllAction.Discard => new RecipientResolution(ResolutionKind.Discard, []),
            _ => RecipientResolution.NoSuchUser,
        };
    }

    public CompiledDomain Domain { get; }

    public RecipientResolution Resolve(string localPart)
    {
        var match = AddressCascade.Match(
            localPart,
            Domain.ExtensionDelimiters,
            key => _entries.GetValueOrDefault(key),
            key => _entries.GetValueOrDefault(key) is { IsAlias: true } alias ? alias : null);
        if (match is null)
        {
            return _catchAll;
        }

        var resolution = match.Entry.Resolution;
        if (match.Extension is null || resolution.Kind != ResolutionKind.Deliver)
        {
            return resolution;
        }

        // A user reached through an extension keeps it with the target; an alias passes it along as information.
        var targets = match.Entry.User is null
            ? resolution.Targets
            : [DeliveryTarget.Local(resolution.Targets[0].Address, match.Extension)];
        return resolution with { Targets = targets, Extension = match.Extension };
    }

    public UserAccount? FindUser(string localPart) =>
        _entries.TryGetValue(localPart, out var entry) ? entry.User : null;

    private sealed record Entry(UserAccount? User, bool IsAlias, RecipientResolution Resolution);
}
