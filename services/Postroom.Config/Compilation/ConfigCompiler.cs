using Postroom.Config.Model;
using Postroom.Config.Snapshot;

namespace Postroom.Config.Compilation;

/// <summary>
/// Turns a set of <see cref="MailDomain"/> resources into one <see cref="ConfigSnapshot"/>. The operator runs it
/// on the cluster's resources, the all-in-one host on YAML files: same function, same answers.
/// </summary>
/// <remarks>
/// It is pure: the same resources and secrets always give the same snapshot and version. Order of work:
/// <list type="number">
/// <item>validate each resource's fields on its own;</item>
/// <item>settle domain claims: the oldest resource keeps a domain, a newer one claiming it is rejected;</item>
/// <item>expand aliases across all accepted domains; a resource with errors is rejected and expansion runs
/// again without it, until no more resources drop out (targets in a dropped domain become remote).</item>
/// </list>
/// </remarks>
public static class ConfigCompiler
{
    public static CompileResult Compile(IEnumerable<MailDomain> resources, ISecretSource? secrets = null)
    {
        secrets ??= InMemorySecretSource.Empty;
        var drafts = resources
            .OrderBy(r => r.Metadata?.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(r => r.DisplayName, StringComparer.Ordinal)
            .Select(r => ResourceValidator.Validate(r, secrets))
            .ToList();

        SettleDomainClaims(drafts);

        var accepted = drafts.Where(d => d.Errors.Count == 0).ToList();
        List<CompiledDomain> compiled;
        while (true)
        {
            var expander = new AliasExpander(accepted);
            compiled = accepted.Select(d => Build(d, expander)).ToList();
            var failed = accepted.Where(d => d.Errors.Count > 0).ToList();
            if (failed.Count == 0)
            {
                break;
            }

            accepted = accepted.Except(failed).ToList();
        }

        var config = new CompiledConfig(compiled.OrderBy(d => d.Name, StringComparer.Ordinal).ToList());
        var outcomes = drafts
            .Select(d => new ResourceOutcome(
                d.Name,
                d.Domain.Length > 0 ? d.Domain : null,
                accepted.Contains(d),
                d.Errors,
                d.Users.Count,
                d.Aliases.Count))
            .ToList();
        return new CompileResult(ConfigSnapshot.Create(config), outcomes);
    }

    private static void SettleDomainClaims(List<DomainDraft> drafts)
    {
        var claims = new Dictionary<string, DomainDraft>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            var names = draft.AliasDomains.Select((name, i) => (name, field: $"spec.aliasDomains[{i}]")).Prepend((name: draft.Domain, field: "spec.domain"));
            var conflicts = names.Where(n => n.name.Length > 0 && claims.ContainsKey(n.name)).ToList();
            names = names.Where(n => n.name.Length > 0);
            foreach (var (name, field) in conflicts)
            {
                draft.Error(field, $"domain '{name}' is already claimed by {claims[name].Name}, which is older", ConfigErrorReasons.DomainConflict);
            }

            // The older resource keeps its claim even while its other fields are invalid: a typo must never
            // hand a domain's mail to another resource.
            foreach (var (name, _) in names)
            {
                claims.TryAdd(name, draft);
            }
        }
    }

    private static CompiledDomain Build(DomainDraft draft, AliasExpander expander)
    {
        var aliases = expander.ExpandAliases(draft);
        var catchAll = expander.ExpandCatchAll(draft);
        return new CompiledDomain(
            draft.Domain,
            draft.Name,
            draft.AliasDomains.Order(StringComparer.Ordinal).ToList(),
            draft.Delimiters,
            catchAll,
            draft.MaxMessageSize,
            draft.Users.Values.OrderBy(u => u.Name, StringComparer.Ordinal).ToList(),
            aliases,
            draft.Outbound,
            draft.ReclaimPolicy);
    }
}
