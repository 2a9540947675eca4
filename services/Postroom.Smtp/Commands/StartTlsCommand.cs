using System.Security.Authentication;
using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Commands;

/// <summary>STARTTLS (RFC 3207).</summary>
internal sealed class StartTlsCommand : ISmtpCommand
{
    public async Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            session.Error(SmtpReplies.SyntaxError);
            return;
        }

        if (session.Info.IsTls)
        {
            session.Error(SmtpReplies.AlreadyTls);
            return;
        }

        if (!session.Options.StartTlsAvailable)
        {
            session.Reply(SmtpReplies.TlsNotAvailable);
            return;
        }

        // Anything the client sent after STARTTLS before seeing our 220 was sent in plaintext: it is dropped,
        // never executed inside TLS (CVE-2011-0411).
        var discarded = session.DiscardBufferedInput();
        if (discarded > 0)
        {
            SmtpLog.DiscardedAfterStartTls(session.Services.Logger, session.Info.SessionId, discarded);
        }

        await session.ReplyAndFlushAsync(SmtpReplies.ReadyToStartTls).ConfigureAwait(false);
        try
        {
            await session.Transport.StartTlsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            SmtpLog.TlsFailed(session.Services.Logger, session.Info.SessionId, e.Message);
            session.Closing = true;
            return;
        }

        // RFC 3207 §4.2: forget everything learnt before TLS, starting with EHLO.
        session.ResetTransaction();
        session.State = SmtpState.Connected;
        session.Info.HeloName = null;
        session.Info.UsedEhlo = false;
        session.Info.AuthenticatedUser = null;
        session.Info.TlsDescription = session.Transport.TlsDescription;
    }
}
