using Postroom.Config.Snapshot;
using Postroom.Queue;

namespace Postroom.Delivery;

/// <summary>What to do with one target of a recipient.</summary>
public enum TargetAction
{
    /// <summary>Append to the target user's INBOX.</summary>
    Local,

    /// <summary>Forward to a remote address (or the recipient itself is not ours): deferred until remote delivery exists.</summary>
    Remote,

    /// <summary>Refused at delivery time (the target user vanished or was disabled since RCPT).</summary>
    Refused,
}

/// <summary>One copy of the message for one recipient.</summary>
/// <param name="Action">How the copy is delivered.</param>
/// <param name="Address">Local: the user's canonical address (mailbox owner, <c>Delivered-To</c>); remote: the forward address.</param>
/// <param name="Extension">The address extension that reached a local user, if any.</param>
/// <param name="QuotaBytes">The local user's quota, or null for none.</param>
/// <param name="Refusal">For <see cref="TargetAction.Refused"/>: why.</param>
public sealed record TargetPlan(TargetAction Action, string Address, string? Extension = null, long? QuotaBytes = null, DeliveryDiagnostic? Refusal = null);

/// <summary>
/// The plan for one pending recipient: either an outcome known without delivering anything (discard,
/// no such user) or the targets to deliver to.
/// </summary>
/// <param name="Index">The recipient's index in the entry.</param>
/// <param name="Recipient">The recipient address as queued.</param>
/// <param name="FailedAttempts">Attempts that already ended in a temporary failure (drives the back-off).</param>
/// <param name="Resolution">What the configuration said about the recipient.</param>
/// <param name="Targets">The copies to make; empty when <see cref="Immediate"/> is set.</param>
/// <param name="Immediate">The outcome when nothing needs delivering.</param>
public sealed record RecipientPlan(
    int Index,
    string Recipient,
    int FailedAttempts,
    ResolutionKind Resolution,
    IReadOnlyList<TargetPlan> Targets,
    RecipientOutcome? Immediate);

/// <summary>How one target's attempt ended.</summary>
public enum TargetResultKind
{
    /// <summary>Appended now.</summary>
    Delivered,

    /// <summary>Appended by an earlier attempt (same idempotency key): counts as delivered.</summary>
    Duplicate,

    /// <summary>Failed temporarily (quota, store unavailable); retry later.</summary>
    Temporary,

    /// <summary>Failed permanently (loop, missing body, refused target).</summary>
    Permanent,

    /// <summary>Not attempted: remote delivery is not available yet.</summary>
    Deferred,
}

/// <summary>The result of delivering one target.</summary>
public sealed record TargetResult(TargetPlan Target, TargetResultKind Kind, DeliveryDiagnostic Diagnostic)
{
    public bool Succeeded => Kind is TargetResultKind.Delivered or TargetResultKind.Duplicate;
}
