using System.Security.Authentication;
using Postroom.Pop3.Protocol;
using Postroom.Pop3.Session;

namespace Postroom.Pop3.Commands;

/// <summary>STLS (RFC 2595 §4), in AUTHORIZATION only.</summary>
internal sealed class StlsCommand : IPop3Command
{
    public async Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            session.Error(Pop3Replies.SyntaxError);
            return;
        }

        if (session.Info.IsTls)
        {
            session.Error(Pop3Replies.AlreadyTls);
            return;
        }

        if (!session.Options.StartTlsAvailable)
        {
            session.Reply(Pop3Replies.TlsNotAvailable);
            return;
        }

        // Anything the client sent after STLS before seeing our +OK was sent in plaintext: it is dropped,
        // never executed inside TLS.
        var discarded = session.DiscardBufferedInput();
        if (discarded > 0)
        {
            Pop3Log.DiscardedAfterStartTls(session.Services.Logger, session.Info.SessionId, discarded);
        }

        await session.ReplyAndFlushAsync(Pop3Replies.BeginTls).ConfigureAwait(false);
        try
        {
            await session.Transport.StartTlsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            Pop3Log.TlsFailed(session.Services.Logger, session.Info.SessionId, e.Message);
            session.EndReason = "tls-failed";
            session.Closing = true;
            return;
        }

        // Nothing learnt before TLS carries over (a USER name would have been refused anyway).
        session.PendingUser = null;
        session.Info.TlsDescription = session.Transport.TlsDescription;
    }
}
