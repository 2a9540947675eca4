using Postroom.Config.Addressing;
using Postroom.Config.Snapshot;

namespace Postroom.Config.Compilation;

/// <summary>
/// Expands alias and catch-all targets to final delivery targets across every accepted domain, so the snapshot
/// answers a lookup without recursion. Aliases may point at aliases of any hosted domain; a cycle is an error
/// on the alias that closes it.
/// </summary>
internal sealed class AliasExpander
{
    private readonly Dictionary<string, DomainDraft> _domains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<DeliveryTarget>> _expanded = new(StringComparer.Ordinal);
    private readonly List<string> _path = [];

    public AliasExpander(IEnumerable<DomainDraft> accepted)
    {
        foreach (var draft in accepted)
        {
            _domains[draft.Domain] = draft;
            foreach (var alias in draft.AliasDomains)
            {
                _domains[alias] = draft;
            }
        }
    }

    /// <summary>Expanded aliases of <paramref name="draft"/>; errors are added to the draft.</summary>
    public List<CompiledAlias> ExpandAliases(DomainDraft draft)
    {
        var result = new List<CompiledAlias>();
        foreach (var alias in draft.Aliases.Values.OrderBy(a => a.Address, StringComparer.Ordinal))
        {
            result.Add(new CompiledAlias(alias.Address, ExpandAlias(draft, alias)));
        }

        return result;
    }

    /// <summary>The catch-all's targets: it must name an existing user, alias or remote address, never fall through to itself.</summary>
    public CompiledCatchAll ExpandCatchAll(DomainDraft draft)
    {
        if (draft.CatchAll != CatchAllAction.Deliver || draft.CatchAllTarget is null)
        {
            return new CompiledCatchAll(draft.CatchAll, []);
        }

        var targets = ExpandTarget(draft, draft.CatchAllTarget, "spec.catchAll.target", allowCatchAll: false);
        return new CompiledCatchAll(CatchAllAction.Deliver, targets);
    }

    private IReadOnlyList<DeliveryTarget> ExpandAlias(DomainDraft owner, AliasDraft alias)
    {
        var key = $"{alias.Address}@{owner.Domain}";
        if (_expanded.TryGetValue(key, out var done))
        {
            return done;
        }

        if (_path.Contains(key))
        {
            // The target that led here reports the cycle on its own field.
            throw new AliasCycleException([.. _path[_path.IndexOf(key)..], key]);
        }

        _path.Add(key);
        try
        {
            var targets = new List<DeliveryTarget>();
            for (var t = 0; t < alias.Targets.Count; t++)
            {
                var field = $"spec.aliases[{alias.Index}].targets[{t}]";
                foreach (var target in ExpandTarget(owner, alias.Targets[t], field, allowCatchAll: true))
                {
                    if (!targets.Contains(target))
                    {
                        targets.Add(target);
                    }
                }
            }

            _expanded[key] = targets;
            return targets;
        }
        finally
        {
            _path.RemoveAt(_path.Count - 1);
        }
    }

    private IReadOnlyList<DeliveryTarget> ExpandTarget(DomainDraft owner, string raw, string field, bool allowCatchAll)
    {
        MailAddress address;
        if (!raw.Contains('@', StringComparison.Ordinal))
        {
            if (!LocalPart.TryNormalize(raw, out var local, out var error))
            {
                owner.Error(field, error);
                return [];
            }

            address = new MailAddress(local, owner.Domain);
        }
        else if (!MailAddress.TryParse(raw, out address, out var error))
        {
            owner.Error(field, error);
            return [];
        }

        if (!_domains.TryGetValue(address.Domain, out var domain))
        {
            return [DeliveryTarget.Remote(address.ToString())];
        }

        var match = AddressCascade.Match<object>(
            address.LocalPart,
            domain.Delimiters,
            key => (object?)domain.Users.GetValueOrDefault(key) ?? domain.Aliases.GetValueOrDefault(key),
            key => domain.Aliases.GetValueOrDefault(key));
        switch (match?.Entry)
        {
            case CompiledUser user:
                return [DeliveryTarget.Local($"{user.Name}@{domain.Domain}", match.Extension)];
            case AliasDraft alias:
                try
                {
                    return ExpandAlias(domain, alias);
                }
                catch (AliasCycleException cycle)
                {
                    // Reported here, on the target that points back into the cycle: the alias that closes it.
                    owner.Error(field, $"alias cycle: {string.Join(" -> ", cycle.Path)}");
                    return [];
                }

            default:
                if (allowCatchAll && domain.CatchAll == CatchAllAction.Discard)
                {
                    return [];
                }

                if (allowCatchAll && domain.CatchAll == CatchAllAction.Deliver && domain.CatchAllTarget is not null)
                {
                    return ExpandTarget(domain, domain.CatchAllTarget, "spec.catchAll.target", allowCatchAll: false);
                }

                owner.Error(field, $"'{address}' is not a user or alias of {domain.Domain}");
                return [];
        }
    }

    private sealed class AliasCycleException(IReadOnlyList<string> path) : Exception("alias cycle")
    {
        public IReadOnlyList<string> Path { get; } = path;
    }
}
