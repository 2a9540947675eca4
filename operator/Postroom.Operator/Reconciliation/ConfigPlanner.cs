using Postroom.Config.Compilation;
using Postroom.Config.Model;
using Postroom.Config.Snapshot;

namespace Postroom.Operator.Reconciliation;

/// <summary>What the planner decided for one resource.</summary>
/// <param name="Resource">The resource as it is in the cluster.</param>
/// <param name="Current">The compiler's verdict on its current generation.</param>
/// <param name="ServingLastGood">True when the current generation is rejected and the last good one is published instead.</param>
/// <param name="ServingGeneration">The generation in the snapshot, if any.</param>
/// <param name="Serving">The compiled domain in the snapshot, if any.</param>
public sealed record ResourcePlan(MailDomain Resource, ResourceOutcome Current, bool ServingLastGood, long? ServingGeneration, CompiledDomain? Serving)
{
    public string Key => Resource.DisplayName;
}

/// <summary>The snapshot to publish, the verdict per resource, and the last good specs to keep.</summary>
public sealed record ConfigPlan(ConfigSnapshot Snapshot, IReadOnlyList<ResourcePlan> Resources, IReadOnlyDictionary<string, LastGoodSpec> LastGood);

/// <summary>
/// The pure middle of a reconcile: compiles the live resources and, for each rejected resource that was
/// accepted before, substitutes its last good spec so one bad edit never takes a working domain down.
/// </summary>
public static class ConfigPlanner
{
    /// <param name="live">Resources not being deleted.</param>
    /// <param name="secrets">The cluster's Secrets.</param>
    /// <param name="lastGood">Last good specs by "namespace/name".</param>
    /// <param name="retain">Keys whose last good spec is kept although they are not live (resources being deleted).</param>
    public static ConfigPlan Plan(IReadOnlyList<MailDomain> live, ISecretSource secrets, IReadOnlyDictionary<string, LastGoodSpec> lastGood, IReadOnlySet<string> retain)
    {
        var first = ConfigCompiler.Compile(live, secrets);
        var substitutes = new Dictionary<string, LastGoodSpec>(StringComparer.Ordinal);
        foreach (var resource in live)
        {
            var outcome = first.For(resource.DisplayName);
            if (outcome is { Accepted: false }
                && lastGood.TryGetValue(resource.DisplayName, out var good)
                && string.Equals(good.Uid, resource.Metadata.Uid, StringComparison.Ordinal))
            {
                substitutes[resource.DisplayName] = good;
            }
        }

        var final = first;
        if (substitutes.Count > 0)
        {
            var resources = live.Select(r => substitutes.TryGetValue(r.DisplayName, out var good) ? WithMetadataOf(good.Resource, r) : r).ToList();
            final = ConfigCompiler.Compile(resources, new OverlaySecretSource(secrets, substitutes.Values));
        }

        var plans = new List<ResourcePlan>();
        var nextLastGood = new Dictionary<string, LastGoodSpec>(StringComparer.Ordinal);
        foreach (var resource in live)
        {
            var key = resource.DisplayName;
            var serving = final.Snapshot.Domains.FirstOrDefault(d => string.Equals(d.Resource, key, StringComparison.Ordinal));
            if (substitutes.TryGetValue(key, out var good))
            {
                plans.Add(new ResourcePlan(resource, first.For(key)!, serving is not null, serving is null ? null : good.Generation, serving));
                nextLastGood[key] = good;
                continue;
            }

            var outcome = final.For(key)!;
            plans.Add(new ResourcePlan(resource, outcome, false, outcome.Accepted ? resource.Metadata.Generation : null, serving));
            if (outcome.Accepted)
            {
                nextLastGood[key] = LastGoodSpec.Capture(resource, outcome.Domain ?? "", secrets);
            }
        }

        foreach (var key in retain)
        {
            if (lastGood.TryGetValue(key, out var kept))
            {
                nextLastGood[key] = kept;
            }
        }

        return new ConfigPlan(final.Snapshot, plans, nextLastGood);
    }

    /// <summary>The stored spec under the live resource's identity, so claims and ordering stay the same.</summary>
    private static MailDomain WithMetadataOf(MailDomain stored, MailDomain live) => new()
    {
        Metadata = live.Metadata,
        Spec = stored.Spec,
    };
}
