using Postroom.Config.Snapshot;
using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Policy;

/// <summary>RFC 5321 §4.5.3.1.10: past the limit, 452 asks the client to send the rest in another transaction.</summary>
public sealed class RecipientLimitPolicy : ISmtpPolicy
{
    public ValueTask<PolicyResult> OnRcptToAsync(PolicyContext context, SmtpTransaction transaction, SmtpPath recipient, CancellationToken cancellationToken) =>
        ValueTask.FromResult(transaction.Recipients.Count >= context.Options.MaxRecipients
            ? PolicyResult.Defer(SmtpReplies.TooManyRecipients)
            : PolicyResult.Continue);
}

/// <summary>
/// <c>user@[192.0.2.1]</c> names a host, not a domain we serve: refused. Mail for us must name a hosted domain.
/// </summary>
public sealed class AddressLiteralPolicy : ISmtpPolicy
{
    public ValueTask<PolicyResult> OnRcptToAsync(PolicyContext context, SmtpTransaction transaction, SmtpPath recipient, CancellationToken cancellationToken) =>
        ValueTask.FromResult(recipient.IsAddressLiteral ? PolicyResult.Reject(SmtpReplies.AddressLiteralRefused) : PolicyResult.Continue);
}

/// <summary>
/// Recipients of hosted domains are checked against the configuration at RCPT time, so unknown users are
/// refused here (550 5.1.1) and never bounced later (no backscatter). The % hack, ! paths and quoted local
/// parts are never interpreted as routes: they are just local parts that match no user.
/// </summary>
public sealed class HostedRecipientPolicy : ISmtpPolicy
{
    public ValueTask<PolicyResult> OnRcptToAsync(PolicyContext context, SmtpTransaction transaction, SmtpPath recipient, CancellationToken cancellationToken)
    {
        var resolution = context.Config.Resolve(recipient.Address);
        var result = resolution.Kind switch
        {
            ResolutionKind.Deliver or ResolutionKind.Discard => CheckSize(context, transaction, recipient),
            ResolutionKind.NoSuchUser => PolicyResult.Reject(SmtpReplies.NoSuchUser),
            ResolutionKind.MailboxDisabled => PolicyResult.Reject(SmtpReplies.MailboxDisabled),
            ResolutionKind.InvalidAddress => PolicyResult.Reject(SmtpReplies.BadDestinationSyntax),
            _ => PolicyResult.Continue,
        };
        return ValueTask.FromResult(result);
    }

    private static PolicyResult CheckSize(PolicyContext context, SmtpTransaction transaction, SmtpPath recipient)
    {
        var domainLimit = context.Config.FindDomain(recipient.Domain)?.MaxMessageSize;
        if (domainLimit is { } limit)
        {
            if (transaction.Parameters.Size > limit)
            {
                return PolicyResult.Reject(SmtpReplies.MessageTooLarge);
            }

            transaction.MaxMessageSize = Math.Min(transaction.MaxMessageSize, limit);
        }

        return PolicyResult.Accept;
    }
}

/// <summary>
/// A recipient outside our domains is relayed only for trusted networks (qmail's RELAYCLIENT, Postfix's
/// mynetworks) and authenticated users; everyone else gets 554 5.7.1.
/// </summary>
public sealed class RelayPolicy : ISmtpPolicy
{
    public ValueTask<PolicyResult> OnRcptToAsync(PolicyContext context, SmtpTransaction transaction, SmtpPath recipient, CancellationToken cancellationToken)
    {
        var mayRelay = context.Session.AuthenticatedUser is not null
            || IpNetwork.AnyContains(context.Options.RelayNetworks, context.Session.ClientAddress);
        return ValueTask.FromResult(mayRelay ? PolicyResult.Accept : PolicyResult.Reject(SmtpReplies.RelayDenied));
    }
}

/// <summary>The checks in the order they run.</summary>
public static class DefaultSmtpPolicies
{
    public static IReadOnlyList<ISmtpPolicy> Create() =>
    [
        new BlockedNetworkPolicy(),
        new SubmissionAuthRequiredPolicy(),
        new BlockedSenderPolicy(),
        new SenderOwnershipPolicy(),
        new MessageRatePolicy(),
        new RecipientLimitPolicy(),
        new AddressLiteralPolicy(),
        new HostedRecipientPolicy(),
        new RelayPolicy(),
    ];
}
