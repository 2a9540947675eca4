using System.Security.Authentication;
using Postroom.Imap.Protocol;
using Postroom.Imap.Session;

namespace Postroom.Imap.Commands;

/// <summary>STARTTLS (RFC 3501 §6.2.1).</summary>
internal sealed class StartTlsCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!Arguments.IsEmpty(request))
        {
            return ImapResponses.SyntaxError;
        }

        if (session.Info.IsTls)
        {
            return ImapResponses.AlreadyTls;
        }

        if (!session.Options.StartTlsAvailable)
        {
            return ImapResponses.TlsNotAvailable;
        }

        // Anything the client sent after STARTTLS before seeing our OK was sent in plaintext: it is dropped,
        // never executed inside TLS (CVE-2011-0411).
        var discarded = session.DiscardBufferedInput();
        if (discarded > 0)
        {
            ImapLog.DiscardedAfterStartTls(session.Services.Logger, session.Info.SessionId, discarded);
        }

        session.Respond(request.Tag, ImapResponses.Completed.WithText("Begin TLS negotiation now"));
        await session.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await session.Transport.StartTlsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            ImapLog.TlsFailed(session.Services.Logger, session.Info.SessionId, e.Message);
            session.Closing = true;
            return null;
        }

        session.Info.TlsDescription = session.Transport.TlsDescription;
        return null;
    }
}
