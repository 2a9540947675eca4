using System.Buffers.Text;
using System.Text;
using Postroom.Config.Snapshot;
using Postroom.Protocols;
using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Commands;

/// <summary>AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms.</summary>
internal sealed class AuthCommand : ISmtpCommand
{
    private static readonly SmtpReply UsernameChallenge = new(334, null, "VXNlcm5hbWU6");
    private static readonly SmtpReply PasswordChallenge = new(334, null, "UGFzc3dvcmQ6");
    private static readonly SmtpReply EmptyChallenge = new(334, null, "");

    public async Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        var options = session.Options;
        if (!options.AuthEnabled)
        {
            session.Error(SmtpReplies.AuthNotAvailable);
            return;
        }

        if (session.Info.AuthenticatedUser is not null)
        {
            session.Error(SmtpReplies.AlreadyAuthenticated);
            return;
        }

        // RFC 8314 §3: credentials never travel in clear.
        if (!session.Info.IsTls && !options.AllowInsecureAuth)
        {
            session.Reply(SmtpReplies.EncryptionRequired);
            return;
        }

        var parts = arguments.Split(' ', 2);
        var mechanism = parts[0].ToUpperInvariant();
        var initial = parts.Length > 1 ? parts[1] : null;
        if (mechanism is not ("PLAIN" or "LOGIN"))
        {
            session.Error(SmtpReplies.AuthMechanismUnknown);
            return;
        }

        var address = session.Info.ClientAddress;
        if (address is not null && await session.Services.RateLimiter.IsAuthThrottledAsync(address, cancellationToken).ConfigureAwait(false))
        {
            session.Reply(SmtpReplies.AuthThrottled);
            return;
        }

        var credentials = mechanism == "PLAIN"
            ? await ReadPlainAsync(session, initial).ConfigureAwait(false)
            : await ReadLoginAsync(session, initial).ConfigureAwait(false);
        if (credentials.Reply is { } problem)
        {
            session.Reply(problem);
            return;
        }

        var result = session.Config.Authenticate(credentials.User!, credentials.Password!, MailProtocols.Smtp);
        if (session.Services.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
        {
            SmtpLog.Authentication(session.Services.Logger, session.Info.SessionId, address?.ToString() ?? "unknown", mechanism, credentials.User!, result.Outcome.ToString());
        }
        if (!result.Succeeded)
        {
            if (address is not null)
            {
                await session.Services.RateLimiter.RecordAuthFailureAsync(address, cancellationToken).ConfigureAwait(false);
            }

            session.Reply(SmtpReplies.AuthFailed);
            return;
        }

        session.Info.AuthenticatedUser = result.Account!.Address;
        session.Reply(SmtpReplies.AuthSucceeded);
    }

    /// <summary>RFC 4616: <c>[authzid] NUL authcid NUL passwd</c>; an authzid must be the user itself.</summary>
    private static async Task<Credentials> ReadPlainAsync(SmtpSession session, string? initial)
    {
        var response = initial ?? await ReadResponseAsync(session, EmptyChallenge).ConfigureAwait(false);
        if (response is null)
        {
            return Credentials.Fail(SmtpReplies.AuthCancelled);
        }

        if (!TryDecode(response, out var decoded))
        {
            return Credentials.Fail(SmtpReplies.AuthInvalidBase64);
        }

        var fields = decoded.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0 || (fields[0].Length > 0 && fields[0] != fields[1]))
        {
            return Credentials.Fail(SmtpReplies.AuthFailed);
        }

        return new Credentials(fields[1], fields[2], null);
    }

    private static async Task<Credentials> ReadLoginAsync(SmtpSession session, string? initial)
    {
        var userResponse = initial ?? await ReadResponseAsync(session, UsernameChallenge).ConfigureAwait(false);
        if (userResponse is null)
        {
            return Credentials.Fail(SmtpReplies.AuthCancelled);
        }

        var passwordResponse = await ReadResponseAsync(session, PasswordChallenge).ConfigureAwait(false);
        if (passwordResponse is null)
        {
            return Credentials.Fail(SmtpReplies.AuthCancelled);
        }

        return TryDecode(userResponse, out var user) && TryDecode(passwordResponse, out var password)
            ? new Credentials(user, password, null)
            : Credentials.Fail(SmtpReplies.AuthInvalidBase64);
    }

    /// <summary>Sends a 334 challenge and reads the client's line; null for "*" (cancel, RFC 4954 §4) or a bad line.</summary>
    private static async Task<string?> ReadResponseAsync(SmtpSession session, SmtpReply challenge)
    {
        session.Reply(challenge);
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
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private readonly record struct Credentials(string? User, string? Password, SmtpReply? Reply)
    {
        public static Credentials Fail(SmtpReply reply) => new(null, null, reply);
    }
}
