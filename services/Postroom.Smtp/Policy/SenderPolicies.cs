using Postroom.Config.Snapshot;
using Postroom.Smtp.Protocol;

namespace Postroom.Smtp.Policy;

/// <summary>Submission ports take mail only from authenticated users (RFC 6409 §4.3).</summary>
public sealed class SubmissionAuthRequiredPolicy : ISmtpPolicy
{
    public ValueTask<PolicyResult> OnMailFromAsync(PolicyContext context, SmtpPath sender, MailParameters parameters, CancellationToken cancellationToken) =>
        ValueTask.FromResult(context.Options.Role != SmtpListenerRole.Mx && context.Session.AuthenticatedUser is null
            ? PolicyResult.Reject(SmtpReplies.AuthRequired)
            : PolicyResult.Continue);
}

/// <summary>
/// Refuses listed senders: <c>user@host</c> exactly, or <c>@host</c> for a whole domain (qmail's badmailfrom).
/// </summary>
public sealed class BlockedSenderPolicy : ISmtpPolicy
{
    public ValueTask<PolicyResult> OnMailFromAsync(PolicyContext context, SmtpPath sender, MailParameters parameters, CancellationToken cancellationToken)
    {
        if (sender.IsNull)
        {
            return ValueTask.FromResult(PolicyResult.Continue);
        }

        var address = sender.Address;
        var domain = "@" + sender.Domain;
        foreach (var entry in context.Options.BlockedSenders)
        {
            if (entry.Equals(address, StringComparison.OrdinalIgnoreCase) || entry.Equals(domain, StringComparison.OrdinalIgnoreCase))
            {
                return ValueTask.FromResult(PolicyResult.Reject(SmtpReplies.SenderBlocked));
            }
        }

        return ValueTask.FromResult(PolicyResult.Continue);
    }
}

/// <summary>
/// An authenticated user may send only as an address that reaches them: their own, or an alias (of any
/// hosted domain, extensions included) whose targets include their mailbox. The null sender is allowed
/// for notifications such as read receipts.
/// </summary>
public sealed class SenderOwnershipPolicy : ISmtpPolicy
{
    public ValueTask<PolicyResult> OnMailFromAsync(PolicyContext context, SmtpPath sender, MailParameters parameters, CancellationToken cancellationToken)
    {
        var user = context.Session.AuthenticatedUser;
        if (user is null || sender.IsNull)
        {
            return ValueTask.FromResult(PolicyResult.Continue);
        }

        var resolution = context.Config.Resolve(sender.Address);
        var owned = resolution.Kind == ResolutionKind.Deliver
            && resolution.Targets.Any(t => t.Kind == DeliveryTargetKind.Local && t.Address == user);
        return ValueTask.FromResult(owned ? PolicyResult.Continue : PolicyResult.Reject(SmtpReplies.SenderNotOwned));
    }
}

/// <summary>Per-IP and per-user message rates, counted across replicas.</summary>
public sealed class MessageRatePolicy : ISmtpPolicy
{
    public async ValueTask<PolicyResult> OnMailFromAsync(PolicyContext context, SmtpPath sender, MailParameters parameters, CancellationToken cancellationToken)
    {
        if (context.Session.ClientAddress is not { } address)
        {
            return PolicyResult.Continue;
        }

        return await context.RateLimiter.TryCountMessageAsync(address, context.Session.AuthenticatedUser, cancellationToken).ConfigureAwait(false)
            ? PolicyResult.Continue
            : PolicyResult.Defer(SmtpReplies.RateLimited);
    }
}
