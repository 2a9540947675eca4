using Postroom.Config.Snapshot;
using Postroom.Queue;

namespace Postroom.Delivery;

/// <summary>
/// The pure part of a delivery attempt: which recipients of a leased entry go where (through the
/// current configuration snapshot), and which queue outcome a recipient gets from its targets' results.
/// No I/O: the worker performs the local appends in between.
/// </summary>
/// <remarks>
/// Resolution happens at every attempt with the snapshot of that moment, so configuration changed since
/// RCPT applies (a user removed since is refused with <c>550 5.1.1</c>). Issue 5 asks for the expansion
/// to be recorded in the entry so a retry does not expand differently; the queue model has no place
/// for it yet, and idempotency keys per target keep a re-expansion from duplicating copies.
/// </remarks>
public sealed class DeliveryPlanner(DeliveryOptions options)
{
    /// <summary>Plans every pending recipient of <paramref name="entry"/>.</summary>
    public static IReadOnlyList<RecipientPlan> Plan(QueueEntry entry, ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(snapshot);
        var plans = new List<RecipientPlan>(entry.Recipients.Count);
        foreach (var recipient in entry.Recipients)
        {
            if (recipient.State.IsPending)
            {
                plans.Add(PlanRecipient(recipient, snapshot));
            }
        }

        return plans;
    }

    /// <summary>Plans one recipient.</summary>
    public static RecipientPlan PlanRecipient(QueueEntryRecipient recipient, ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(snapshot);
        var address = recipient.Recipient.Address;
        var failed = FailedAttempts(recipient.State);
        var resolution = snapshot.Resolve(address);
        RecipientPlan Immediate(RecipientOutcome outcome) => new(recipient.Index, address, failed, resolution.Kind, [], outcome);

        switch (resolution.Kind)
        {
            case ResolutionKind.Discard:
                return Immediate(RecipientOutcome.Delivered(recipient.Index, DeliveryReplies.Discarded));
            case ResolutionKind.NoSuchUser:
                return Immediate(RecipientOutcome.PermanentFailure(recipient.Index, DeliveryReplies.NoSuchUser(address)));
            case ResolutionKind.MailboxDisabled:
                return Immediate(RecipientOutcome.PermanentFailure(recipient.Index, DeliveryReplies.MailboxDisabled(address)));
            case ResolutionKind.InvalidAddress:
                return Immediate(RecipientOutcome.PermanentFailure(recipient.Index, DeliveryReplies.BadAddress(address)));
            case ResolutionKind.NotHosted:
                // Relayed mail (authenticated submission): the recipient itself is the remote target.
                return new(recipient.Index, address, failed, resolution.Kind, [new TargetPlan(TargetAction.Remote, address)], null);
            default:
                break;
        }

        var targets = new List<TargetPlan>(resolution.Targets.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in resolution.Targets)
        {
            if (!seen.Add($"{target.Kind}:{target.Address}"))
            {
                continue;
            }

            targets.Add(target.Kind == DeliveryTargetKind.Remote
                ? new TargetPlan(TargetAction.Remote, target.Address)
                : PlanLocal(target, snapshot));
        }

        return targets.Count == 0
            ? Immediate(RecipientOutcome.Delivered(recipient.Index, DeliveryReplies.Discarded))
            : new(recipient.Index, address, failed, resolution.Kind, targets, null);
    }

    /// <summary>
    /// The recipient's outcome from its targets' results: every target delivered (or already delivered
    /// by an earlier attempt) makes it delivered; any temporary failure or deferred remote copy retries
    /// the recipient after the back-off (local copies made now are then duplicates, which is safe); with
    /// no temporary failure, any permanent failure fails it.
    /// </summary>
    public RecipientOutcome Decide(RecipientPlan plan, IReadOnlyList<TargetResult> results, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(results);
        if (plan.Immediate is not null)
        {
            return plan.Immediate;
        }

        if (results.Count != plan.Targets.Count)
        {
            throw new ArgumentException($"Expected {plan.Targets.Count} target results, got {results.Count}.", nameof(results));
        }

        var retry = results.FirstOrDefault(r => r.Kind == TargetResultKind.Temporary)
            ?? results.FirstOrDefault(r => r.Kind == TargetResultKind.Deferred);
        if (retry is not null)
        {
            return RecipientOutcome.TemporaryFailure(plan.Index, now + options.RetryDelay(plan.FailedAttempts), retry.Diagnostic);
        }

        var permanent = results.FirstOrDefault(r => r.Kind == TargetResultKind.Permanent);
        return permanent is not null
            ? RecipientOutcome.PermanentFailure(plan.Index, permanent.Diagnostic)
            : RecipientOutcome.Delivered(plan.Index, DeliveryReplies.Delivered);
    }

    /// <summary>The result for a target that is not delivered locally: refused, or deferred remote.</summary>
    public static TargetResult Unattempted(TargetPlan target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Action switch
        {
            TargetAction.Refused => new TargetResult(target, TargetResultKind.Permanent, target.Refusal!),
            TargetAction.Remote => new TargetResult(target, TargetResultKind.Deferred, new DeliveryDiagnostic(DeliveryError.LocalError, DeliveryReplies.RemoteNotAvailable)),
            _ => throw new ArgumentException("A local target is delivered, not left unattempted.", nameof(target)),
        };
    }

    private static TargetPlan PlanLocal(DeliveryTarget target, ConfigSnapshot snapshot)
    {
        var account = snapshot.FindUser(target.Address);
        if (account is null)
        {
            return new TargetPlan(TargetAction.Refused, target.Address, target.Extension, Refusal: DeliveryReplies.NoSuchUser(target.Address));
        }

        return account.User.Enabled
            ? new TargetPlan(TargetAction.Local, account.Address, target.Extension, account.User.QuotaBytes)
            : new TargetPlan(TargetAction.Refused, account.Address, target.Extension, Refusal: DeliveryReplies.MailboxDisabled(account.Address));
    }

    // Attempts completed so far: none before the first, so the first failure waits the schedule's first delay.
    private static int FailedAttempts(RecipientState state) => state.Attempts;
}
