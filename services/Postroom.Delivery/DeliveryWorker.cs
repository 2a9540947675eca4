using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Mailbox;
using Postroom.Queue;
using Postroom.Storage;

namespace Postroom.Delivery;

/// <summary>
/// The lease loop of delivery-worker: leases due entries in batches, delivers every pending recipient
/// (local appends, at most <see cref="DeliveryOptions.MaxConcurrentLocal"/> entries at once) and completes
/// each entry with per-recipient outcomes. Any number of workers may run against one queue.
/// </summary>
public sealed class DeliveryWorker : BackgroundService
{
    private readonly IMailQueue _queue;
    private readonly IConfigSnapshotSource _config;
    private readonly DeliveryOptions _options;
    private readonly DeliveryPlanner _planner;
    private readonly LocalDelivery _local;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public DeliveryWorker(IMailQueue queue, IMailboxStore mailboxes, IBlobStore blobs, IConfigSnapshotSource config, DeliveryOptions options, ILogger<DeliveryWorker> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _queue = queue;
        _config = config;
        _options = options;
        _planner = new DeliveryPlanner(options);
        _local = new LocalDelivery(mailboxes, blobs, options);
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Leases one batch and delivers it; returns how many entries were leased.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var leases = await _queue.LeaseAsync(_options.BatchSize, _options.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
        if (leases.Count == 0)
        {
            return 0;
        }

        await Parallel.ForEachAsync(
            leases,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentLocal, CancellationToken = cancellationToken },
            async (lease, token) => await ProcessAsync(lease, token).ConfigureAwait(false)).ConfigureAwait(false);
        return leases.Count;
    }

    /// <summary>Delivers one leased entry and completes it.</summary>
    public async Task<CompletionResult?> ProcessAsync(QueueLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        IReadOnlyList<RecipientOutcome> outcomes;
        try
        {
            outcomes = await AttemptAsync(lease.Entry, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Not completed: the lease runs out and the entry is retried; appends made are idempotent.
            DeliveryLog.AttemptFailed(_logger, lease.Id.Value, e);
            return null;
        }

        // The attempt is finished and its appends are made: record them even when shutdown was requested
        // meanwhile, or the next worker would repeat the whole attempt.
        var result = await _queue.CompleteAsync(lease, outcomes, CancellationToken.None).ConfigureAwait(false);
        if (result.Status == CompletionStatus.LeaseLost)
        {
            DeliveryLog.LeaseLost(_logger, lease.Id.Value);
        }
        else
        {
            DeliveryLog.Completed(_logger, lease.Id.Value, result.Status == CompletionStatus.Finished, result.Status.ToString());
        }

        return result;
    }

    /// <summary>Delivers the pending recipients of <paramref name="entry"/> without completing the lease.</summary>
    public async Task<IReadOnlyList<RecipientOutcome>> AttemptAsync(QueueEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var snapshot = _config.Current;
        var plans = DeliveryPlanner.Plan(entry, snapshot);
        IReadOnlyList<string>? deliveredTo = null;
        var bodyMissing = false;
        var outcomes = new List<RecipientOutcome>(plans.Count);
        foreach (var plan in plans)
        {
            if (plan.Immediate is not null)
            {
                Log(entry, plan, "-", plan.Immediate.Kind.ToString(), plan.Immediate.Diagnostic?.Text ?? "", 0, plan.Immediate.NextAttemptAt, "none");
                outcomes.Add(plan.Immediate);
                continue;
            }

            if (deliveredTo is null && !bodyMissing && plan.Targets.Any(t => t.Action == TargetAction.Local))
            {
                try
                {
                    deliveredTo = await _local.ReadDeliveredToAsync(entry.Envelope.BodyKey, cancellationToken).ConfigureAwait(false);
                }
                catch (BlobNotFoundException)
                {
                    bodyMissing = true;
                }
            }

            var results = new List<TargetResult>(plan.Targets.Count);
            var durations = new List<double>(plan.Targets.Count);
            foreach (var target in plan.Targets)
            {
                var start = Stopwatch.GetTimestamp();
                TargetResult result;
                if (target.Action != TargetAction.Local)
                {
                    result = DeliveryPlanner.Unattempted(target);
                }
                else if (bodyMissing)
                {
                    result = new TargetResult(target, TargetResultKind.Permanent, new DeliveryDiagnostic(DeliveryError.LocalError, DeliveryReplies.BodyMissing));
                }
                else
                {
                    result = await DeliverLocalAsync(entry, plan.Index, target, deliveredTo!, cancellationToken).ConfigureAwait(false);
                }

                results.Add(result);
                durations.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var outcome = _planner.Decide(plan, results, _time.GetUtcNow());
            for (var i = 0; i < results.Count; i++)
            {
                var result = results[i];
                Log(entry, plan, result.Target.Address, result.Kind.ToString(), result.Diagnostic.Text, durations[i], outcome.NextAttemptAt, result.Target.Action.ToString().ToLowerInvariant());
            }

            outcomes.Add(outcome);
        }

        return outcomes;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int leased;
            try
            {
                leased = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                DeliveryLog.QueueUnavailable(_logger, e);
                if (!await DelayAsync(_options.ErrorDelay, stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            if (leased == 0 && !await DelayAsync(_options.IdleDelay, stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<TargetResult> DeliverLocalAsync(QueueEntry entry, int index, TargetPlan target, IReadOnlyList<string> deliveredTo, CancellationToken cancellationToken)
    {
        try
        {
            return await _local.DeliverAsync(entry, index, target, deliveredTo, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            // Redis down, a store timeout: retry the recipient later (appends are idempotent).
            DeliveryLog.AppendFailed(_logger, entry.Id.Value, target.Address, e);
            return new TargetResult(target, TargetResultKind.Temporary, new DeliveryDiagnostic(DeliveryError.LocalError, DeliveryReplies.StoreUnavailable));
        }
    }

    private void Log(QueueEntry entry, RecipientPlan plan, string target, string result, string reply, double durationMs, DateTimeOffset? next, string kind)
    {
        DeliveryMetrics.Record(kind, result.ToLowerInvariant(), durationMs);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            DeliveryLog.Attempt(_logger, entry.Id.Value, plan.Recipient, target, result, reply, durationMs, next);
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
