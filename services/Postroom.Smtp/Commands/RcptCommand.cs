using Postroom.Smtp.Policy;
using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Commands;

/// <summary>RCPT TO (RFC 5321 §4.1.1.3): <c>"RCPT TO:" ( "&lt;Postmaster@" Domain "&gt;" / "&lt;Postmaster&gt;" / Forward-path ) [SP Rcpt-parameters]</c>.</summary>
internal sealed class RcptCommand : ISmtpCommand
{
    public async Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        var transaction = session.Transaction!;
        if (!PathArgument.TryParse(arguments, "TO:", reverse: false, out var recipient, out var rest) || recipient.IsNull)
        {
            session.Error(SmtpReplies.SyntaxError);
            return;
        }

        if (recipient.Domain.Length == 0)
        {
            // The bare <Postmaster> (RFC 5321 §4.1.1.3) must always be accepted: it means this host's postmaster,
            // or, when the host name is no hosted domain, the postmaster of the first hosted domain.
            var config = session.Config;
            var domain = config.IsHostedDomain(session.Options.HostName) ? session.Options.HostName : config.Domains.Count > 0 ? config.Domains[0].Name : null;
            recipient = recipient with { Domain = domain ?? session.Options.HostName };
        }

        var parameters = RcptParameters.Parse(rest, out var parameterError);
        if (parameters is null)
        {
            session.Error(parameterError!);
            return;
        }

        if (recipient.NeedsSmtpUtf8 && !transaction.Parameters.SmtpUtf8)
        {
            session.Reply(SmtpReplies.SmtpUtf8Required);
            return;
        }

        var result = await session.RunPoliciesToDecisionAsync((p, c) => p.OnRcptToAsync(session.PolicyContext, transaction, recipient, c)).ConfigureAwait(false);
        switch (result.Decision)
        {
            case PolicyDecision.Accept:
                if (!transaction.Recipients.Any(r => r.Path.Address.Equals(recipient.Address, StringComparison.OrdinalIgnoreCase)))
                {
                    transaction.Recipients.Add(new AcceptedRecipient(recipient, parameters));
                }

                session.State = SmtpState.RcptGiven;
                session.Reply(SmtpReplies.RecipientOk);
                break;
            case PolicyDecision.Reject or PolicyDecision.Defer:
                session.Reply(result.Reply!);
                break;
            default:
                // No hook claimed the address: it is neither ours nor relayable.
                session.Reply(SmtpReplies.RelayDenied);
                break;
        }
    }
}
