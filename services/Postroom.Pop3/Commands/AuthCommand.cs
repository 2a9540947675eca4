using System.Buffers.Text;
using System.Text;
using Postroom.Pop3.Protocol;
using Postroom.Pop3.Session;
using Postroom.Protocols;

namespace Postroom.Pop3.Commands;

/// <summary>
/// AUTH (RFC 5034) with the PLAIN mechanism (RFC 4616): <c>"AUTH" SP sasl-mech [SP initial-response]</c>;
/// without an initial response the server sends <c>"+ "</c> and reads one line. <c>AUTH</c> alone lists the
/// mechanisms (RFC 1734 §2, which RFC 5034 replaced; clients still send it).
/// </summary>
internal sealed class AuthCommand : IPop3Command
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public async Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        var options = session.Options;
        var allowed = session.Info.IsTls || options.AllowInsecureAuth;
        if (arguments.Length == 0)
        {
            session.Reply(Pop3Replies.Mechanisms);
            if (allowed)
            {
                session.WriteLine("PLAIN");
            }

            session.WriteTerminator();
            return;
        }

        // RFC 8314 / RFC 2595 §4: credentials never travel in clear.
        if (!allowed)
        {
            session.Reply(Pop3Replies.EncryptionRequired);
            return;
        }

        var parts = arguments.Split(' ');
        if (parts.Length > 2)
        {
            session.Error(Pop3Replies.SyntaxError);
            return;
        }

        if (!parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            session.Error(Pop3Replies.AuthMechanismUnknown);
            return;
        }

        // RFC 5034 §4: "=" is an empty initial response.
        var response = parts.Length == 2 ? (parts[1] == "=" ? "" : parts[1]) : await ReadResponseAsync(session).ConfigureAwait(false);
        if (response is null)
        {
            session.Reply(Pop3Replies.AuthCancelled);
            return;
        }

        if (!TryDecode(response, out var decoded))
        {
            session.Reply(Pop3Replies.AuthInvalidBase64);
            return;
        }

        // RFC 4616 §2: [authzid] NUL authcid NUL passwd; an authzid must be the user itself.
        var fields = decoded.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0 || (fields[0].Length > 0 && fields[0] != fields[1]))
        {
            session.Reply(Pop3Replies.AuthFailed);
            return;
        }

        await session.LoginAsync(fields[1], fields[2], "PLAIN").ConfigureAwait(false);
    }

    /// <summary>Sends the empty challenge and reads the client's line; null for "*" (cancel, RFC 5034 §4) or a bad line.</summary>
    private static async Task<string?> ReadResponseAsync(Pop3Session session)
    {
        session.WriteLine("+ ");
        var line = await session.ReadLineAsync(session.Options.MaxAuthLineLength, CancellationToken.None).ConfigureAwait(false);
        if (line is null)
        {
            session.Closing = true;
            return null;
        }

        return line.Value.Status == LineStatus.Ok && line.Value.Text != "*" ? line.Value.Text : null;
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
            text = StrictUtf8.GetString(bytes, 0, length);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
