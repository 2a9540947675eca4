using Postroom.Config.Compilation;
using Postroom.Config.Model;
using Postroom.Operator.Kubernetes;
using Postroom.Operator.Publishing;
using Postroom.Operator.Purging;

namespace Postroom.Operator.Reconciliation;

/// <summary>The outcome of one reconcile: success, or failure with a retry wanted.</summary>
public sealed record ReconcileResult(bool Success, string? Error = null)
{
    public static ReconcileResult Done { get; } = new(true);

    public static ReconcileResult Retry(string error) => new(false, error);
}

/// <summary>
/// One level-based reconcile of every MailDomain: read (from the watch caches), compile (the pure
/// <see cref="ConfigPlanner"/>), publish the snapshot, then write each status that changed, record Events,
/// and finish deletions. It never branches on what event woke it, only on whether a resource is being deleted.
/// </summary>
public sealed partial class MailDomainReconciler(
    ClusterClient cluster,
    SnapshotPublisher publisher,
    IDomainDataPurger purger,
    OperatorSettings settings,
    TimeProvider time,
    ILogger<MailDomainReconciler> logger)
{
    /// <summary>Held while a resource's mailbox data may still need purging.</summary>
    public const string Finalizer = "postroom.io/mailbox-data";

    private const int ConflictRetries = 5;

    private Dictionary<string, LastGoodSpec>? _lastGood;

    /// <param name="domains">Every MailDomain in the watched namespaces.</param>
    /// <param name="secrets">Their Secrets.</param>
    /// <param name="observe">Feeds objects the operator wrote back into the watch cache.</param>
    /// <param name="cancellationToken">Cancelled when leadership ends.</param>
    public async Task<ReconcileResult> ReconcileAsync(IReadOnlyCollection<MailDomain> domains, ISecretSource secrets, Action<MailDomain> observe, CancellationToken cancellationToken)
    {
        _lastGood ??= await publisher.LoadLastGoodAsync();
        var errors = new List<string>();

        var live = new List<MailDomain>();
        foreach (var domain in domains.Where(d => d.Metadata.DeletionTimestamp is null))
        {
            live.Add(await EnsureFinalizerAsync(domain, observe, errors, cancellationToken));
        }

        var deleting = domains.Where(d => d.Metadata.DeletionTimestamp is not null).ToList();
        var plan = ConfigPlanner.Plan(live, secrets, _lastGood, deleting.Select(d => d.DisplayName).ToHashSet(StringComparer.Ordinal));

        // Publish before any status claims the new snapshot version.
        if (await publisher.PublishAsync(plan.Snapshot, plan.LastGood))
        {
            Published(logger, plan.Snapshot.Version, plan.Snapshot.Domains.Count);
        }

        _lastGood = new Dictionary<string, LastGoodSpec>(plan.LastGood, StringComparer.Ordinal);

        foreach (var resource in plan.Resources)
        {
            await WriteStatusAsync(resource, plan.Snapshot.Version, observe, errors, cancellationToken);
        }

        foreach (var resource in deleting.Where(d => d.Metadata.Finalizers?.Contains(Finalizer) == true))
        {
            await FinishDeletionAsync(resource, observe, errors, cancellationToken);
        }

        return errors.Count == 0 ? ReconcileResult.Done : ReconcileResult.Retry(string.Join("; ", errors));
    }

    private async Task<MailDomain> EnsureFinalizerAsync(MailDomain domain, Action<MailDomain> observe, List<string> errors, CancellationToken cancellationToken)
    {
        if (domain.Metadata.Finalizers?.Contains(Finalizer) == true)
        {
            return domain;
        }

        try
        {
            var updated = await cluster.SetFinalizersAsync(domain, [.. domain.Metadata.Finalizers ?? [], Finalizer], cancellationToken);
            observe(updated);
            return updated;
        }
        catch (Exception e) when (ClusterClient.IsConflict(e) || ClusterClient.IsNotFound(e))
        {
            // The watch brings the newer object and another reconcile.
            errors.Add($"{domain.DisplayName}: finalizer not added: {e.Message}");
            return domain;
        }
    }

    private async Task WriteStatusAsync(ResourcePlan plan, string version, Action<MailDomain> observe, List<string> errors, CancellationToken cancellationToken)
    {
        var resource = plan.Resource;
        for (var attempt = 0; attempt < ConflictRetries; attempt++)
        {
            var now = Truncate(time.GetUtcNow().UtcDateTime);
            var host = settings.MailHostFor(plan.Serving?.Name ?? plan.Current.Domain ?? "localhost");
            var decision = StatusBuilder.Decide(plan with { Resource = resource }, resource.Status, version, host, now);
            if (!decision.Changed)
            {
                return;
            }

            // The Event goes first: its name is derived from its content, so a retry after a crash between the
            // two writes finds it already there (409) instead of recording it twice.
            if (decision.Event is { } evt && await cluster.RecordEventAsync(resource, evt.Type, evt.Reason, evt.Message, settings.Component, cancellationToken))
            {
                EventRecorded(logger, resource.DisplayName, evt.Reason, evt.Message);
            }

            try
            {
                observe(await cluster.PatchStatusAsync(resource, decision.Status, cancellationToken));
                return;
            }
            catch (Exception e) when (ClusterClient.IsConflict(e))
            {
                var fresh = await cluster.GetAsync(resource.Metadata.NamespaceProperty, resource.Metadata.Name, cancellationToken);
                if (fresh is null || fresh.Metadata.Generation != resource.Metadata.Generation || fresh.Metadata.Uid != resource.Metadata.Uid)
                {
                    // A new generation (or a new object) is on its way through the watch; it gets its own reconcile.
                    errors.Add($"{resource.DisplayName}: changed while its status was written");
                    return;
                }

                observe(fresh);
                resource = fresh;
            }
            catch (Exception e) when (ClusterClient.IsNotFound(e))
            {
                return;
            }
        }

        errors.Add($"{resource.DisplayName}: status conflicted {ConflictRetries} times");
    }

    private async Task FinishDeletionAsync(MailDomain resource, Action<MailDomain> observe, List<string> errors, CancellationToken cancellationToken)
    {
        _lastGood!.TryGetValue(resource.DisplayName, out var good);
        good = good is not null && good.Uid == resource.Metadata.Uid ? good : null;
        var policy = resource.Spec.ReclaimPolicy is "Delete" or "Retain" ? resource.Spec.ReclaimPolicy : good?.Resource.Spec.ReclaimPolicy;
        string reason;
        string message;
        if (policy == "Delete" && good is { Domain.Length: > 0 })
        {
            // Only a domain the resource actually owned in a published snapshot: never one it lost in a conflict.
            try
            {
                await purger.PurgeAsync(good.Domain, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{resource.DisplayName}: purge of {good.Domain} failed: {e.Message}");
                await cluster.RecordEventAsync(resource, "Warning", ConditionReasons.PurgeFailed, $"purging the mailboxes of {good.Domain} failed: {e.Message}", settings.Component, cancellationToken);
                return;
            }

            (reason, message) = (ConditionReasons.Purged, $"the mailboxes of {good.Domain} were deleted (reclaimPolicy Delete)");
        }
        else
        {
            (reason, message) = (ConditionReasons.Retained, good is null ? "nothing was published for this resource" : $"the mailboxes of {good.Domain} are kept (reclaimPolicy Retain)");
        }

        await cluster.RecordEventAsync(resource, "Normal", reason, message, settings.Component, cancellationToken);
        try
        {
            observe(await cluster.SetFinalizersAsync(resource, resource.Metadata.Finalizers!.Where(f => f != Finalizer).ToList(), cancellationToken));
            Deleted(logger, resource.DisplayName, reason);
        }
        catch (Exception e) when (ClusterClient.IsConflict(e))
        {
            errors.Add($"{resource.DisplayName}: finalizer not removed: {e.Message}");
        }
        catch (Exception e) when (ClusterClient.IsNotFound(e))
        {
            // Already gone.
        }
    }

    /// <summary>Kubernetes stores times with second precision; comparing with what comes back needs the same.</summary>
    private static DateTime Truncate(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "published config snapshot {Version} with {Domains} domains")]
    private static partial void Published(ILogger logger, string version, int domains);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "{Resource}: {Reason}: {Message}")]
    private static partial void EventRecorded(ILogger logger, string resource, string reason, string message);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "{Resource}: finalizer removed ({Reason})")]
    private static partial void Deleted(ILogger logger, string resource, string reason);
}
