using System.Globalization;
using k8s;
using Postroom.Config.Compilation;
using Postroom.Config.Model;

namespace Postroom.Operator.Reconciliation;

/// <summary>What a resource's status should say, and whether the change deserves an Event.</summary>
/// <param name="Status">The desired status.</param>
/// <param name="Changed">False when the current status already says exactly this (nothing to write).</param>
/// <param name="Event">The Event to record, or null when the status already told the same story.</param>
public sealed record StatusDecision(MailDomainStatus Status, bool Changed, StatusEvent? Event);

/// <summary>A Kubernetes Event about one resource.</summary>
public sealed record StatusEvent(string Type, string Reason, string Message);

/// <summary>Turns a planned verdict into the resource's status: conditions, counts, snapshot version, DNS records. Pure.</summary>
public static class StatusBuilder
{
    public static StatusDecision Decide(ResourcePlan plan, MailDomainStatus? current, string snapshotVersion, string mailHost, DateTime now)
    {
        var generation = plan.Resource.Metadata.Generation ?? 0;
        var previous = current?.Conditions;
        var status = new MailDomainStatus { ObservedGeneration = generation };
        StatusEvent evt;
        if (plan.Current.Accepted)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"generation {generation} is published: {plan.Current.Users} users, {plan.Current.Aliases} aliases");
            status.Conditions =
            [
                Conditions.Next(previous, ConditionTypes.Ready, true, ConditionReasons.Published, message, generation, now),
                Conditions.Next(previous, ConditionTypes.Degraded, false, ConditionReasons.Published, message, generation, now),
            ];
            status.Users = plan.Current.Users;
            status.Aliases = plan.Current.Aliases;
            status.SnapshotVersion = snapshotVersion;
            evt = new StatusEvent("Normal", ConditionReasons.Published, message);
        }
        else
        {
            var reason = Reason(plan.Current.Errors);
            var errors = string.Join("; ", plan.Current.Errors.Select(e => $"{e.Field}: {e.Message}"));
            var message = plan.ServingLastGood
                ? string.Create(CultureInfo.InvariantCulture, $"{errors}; generation {plan.ServingGeneration} keeps serving")
                : $"{errors}; the domain is not served";
            status.Conditions =
            [
                Conditions.Next(previous, ConditionTypes.Ready, false, reason, message, generation, now),
                Conditions.Next(previous, ConditionTypes.Degraded, true, reason, message, generation, now),
            ];

            // Counts and version describe what serves: the last good generation, or nothing.
            status.Users = plan.ServingLastGood ? current?.Users ?? 0 : 0;
            status.Aliases = plan.ServingLastGood ? current?.Aliases ?? 0 : 0;
            status.SnapshotVersion = plan.ServingLastGood ? current?.SnapshotVersion ?? snapshotVersion : null;
            evt = new StatusEvent("Warning", reason, message);
        }

        status.DnsRecords = plan.Serving is { } serving ? DnsRecords.For(serving.Name, serving.AliasDomains, mailHost) : [];

        var changed = current is null || !string.Equals(Canonical(current), Canonical(status), StringComparison.Ordinal);
        var oldReady = Conditions.Find(previous, ConditionTypes.Ready);
        var newReady = Conditions.Find(status.Conditions, ConditionTypes.Ready);
        return new StatusDecision(status, changed, Conditions.SameState(oldReady, newReady) ? null : evt);
    }

    /// <summary>The most specific reason: a conflict, then a missing Secret, then any invalid field.</summary>
    public static string Reason(IReadOnlyList<ConfigError> errors) =>
        errors.Any(e => e.Reason == ConfigErrorReasons.DomainConflict) ? ConditionReasons.DomainConflict
        : errors.Any(e => e.Reason == ConfigErrorReasons.SecretNotFound) ? ConditionReasons.SecretNotFound
        : ConditionReasons.InvalidSpec;

    private static string Canonical(MailDomainStatus status) => KubernetesJson.Serialize(new MailDomainStatus
    {
        ObservedGeneration = status.ObservedGeneration,
        Conditions = status.Conditions?.OrderBy(c => c.Type, StringComparer.Ordinal).ToList(),
        Users = status.Users ?? 0,
        Aliases = status.Aliases ?? 0,
        SnapshotVersion = status.SnapshotVersion,
        DnsRecords = status.DnsRecords ?? [],
    });
}
