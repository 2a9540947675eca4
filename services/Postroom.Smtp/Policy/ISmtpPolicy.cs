using Postroom.Config.Snapshot;
using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Policy;

/// <summary>
/// One ordered check. Hooks run in order until one returns something other than Continue; if all continue,
/// the command is accepted (connect, MAIL) or refused as not ours (RCPT: a recipient needs an Accept).
/// </summary>
public interface ISmtpPolicy
{
    ValueTask<PolicyResult> OnConnectAsync(PolicyContext context, CancellationToken cancellationToken) => ValueTask.FromResult(PolicyResult.Continue);

    ValueTask<PolicyResult> OnMailFromAsync(PolicyContext context, SmtpPath sender, MailParameters parameters, CancellationToken cancellationToken) => ValueTask.FromResult(PolicyResult.Continue);

    ValueTask<PolicyResult> OnRcptToAsync(PolicyContext context, SmtpTransaction transaction, SmtpPath recipient, CancellationToken cancellationToken) => ValueTask.FromResult(PolicyResult.Continue);
}

/// <summary>What a hook may look at: the session, the listener's options and the current configuration.</summary>
public sealed record PolicyContext(SessionInfo Session, SmtpOptions Options, ConfigSnapshot Config, ISmtpRateLimiter RateLimiter);
