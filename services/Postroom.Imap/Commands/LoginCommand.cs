using System.Buffers.Text;
using System.Text;
using Postroom.Config.Snapshot;
using Postroom.Imap.Protocol;
using Postroom.Imap.Session;

namespace Postroom.Imap.Commands;

/// <summary>LOGIN (RFC 3501 §6.2.3): refused before TLS (LOGINDISABLED) unless the insecure test switch is on.</summary>
internal sealed class LoginCommand : IImapCommand
{
    public Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseAString(ref reader, out var user) || !ImapParser.TryParseSp(ref reader)
            || !ImapParser.TryParseAString(ref reader, out var password) || !reader.End)
        {
            return Task.FromResult<ImapResult?>(ImapResponses.SyntaxError);
        }

        if (!session.Info.IsTls && !session.Options.AllowInsecureAuth)
        {
            return Task.FromResult<ImapResult?>(ImapResponses.PrivacyRequired);
        }

        return Task.FromResult<ImapResult?>(Authentication.Complete(session, "LOGIN", user, password));
    }
}

/// <summary>AUTHENTICATE PLAIN (RFC 3501 §6.2.2, RFC 4616), with SASL-IR (RFC 4959).</summary>
internal sealed class AuthenticateCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseAtom(ref reader, out var mechanism))
        {
            return ImapResponses.SyntaxError;
        }

        string? initial = null;
        if (ImapParser.TryParseSp(ref reader))
        {
            if (!ImapParser.TryParseAtom(ref reader, out var response))
            {
                return ImapResponses.SyntaxError;
            }

            // RFC 4959 §3: "=" is an empty initial response.
            initial = response == "=" ? "" : response;
        }

        if (!reader.End)
        {
            return ImapResponses.SyntaxError;
        }

        if (!mechanism.Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            return ImapResponses.UnknownMechanism;
        }

        if (!session.Info.IsTls && !session.Options.AllowInsecureAuth)
        {
            return ImapResponses.PrivacyRequired;
        }

        if (initial is null)
        {
            session.WriteLine("+ ");
            var line = await session.ReadCommandAsync().ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (line.Value.Status != AssembleStatus.Command)
            {
                return ImapResponses.AuthCancelled;
            }

            initial = Encoding.ASCII.GetString(line.Value.Command!);
            if (initial == "*")
            {
                return ImapResponses.AuthCancelled;
            }
        }

        if (!TryDecode(initial, out var decoded))
        {
            return ImapResponses.InvalidBase64;
        }

        // RFC 4616: [authzid] NUL authcid NUL passwd; an authzid must be the user itself.
        var fields = decoded.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0 || (fields[0].Length > 0 && fields[0] != fields[1]))
        {
            return ImapResponses.AuthFailed;
        }

        return Authentication.Complete(session, "PLAIN", fields[1], fields[2]);
    }

    private static bool TryDecode(string base64, out string text)
    {
        text = "";
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            return false;
        }

        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

/// <summary>Checks credentials against the configuration and moves to the authenticated state.</summary>
internal static class Authentication
{
    public static ImapResult Complete(ImapSession session, string mechanism, string user, string password)
    {
        var result = session.Config.Authenticate(user, password, MailProtocols.Imap);
        if (session.Services.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
        {
            ImapLog.Authentication(session.Services.Logger, session.Info.SessionId, session.Info.RemoteEndPoint?.Address.ToString() ?? "unknown", mechanism, user, result.Outcome.ToString());
        }

        if (!result.Succeeded)
        {
            return ImapResponses.AuthFailed;
        }

        session.Info.User = result.Account!.Address;
        session.Info.QuotaBytes = result.Account.User.QuotaBytes;
        session.State = ImapState.Authenticated;
        return ImapResponses.Completed with { Code = "CAPABILITY " + session.Capabilities, Text = "Logged in" };
    }
}
