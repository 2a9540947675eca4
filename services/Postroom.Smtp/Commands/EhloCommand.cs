using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Commands;

/// <summary>EHLO and HELO (RFC 5321 §4.1.1.1): start over, name the client, list the extensions.</summary>
internal sealed class EhloCommand(bool extended) : ISmtpCommand
{
    public Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        var name = arguments.Trim();
        if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal) || !IsDomainOrLiteral(name))
        {
            session.Error(SmtpReplies.SyntaxError);
            return Task.CompletedTask;
        }

        session.ResetTransaction();
        session.State = SmtpState.Ready;
        session.Info.HeloName = name;
        session.Info.UsedEhlo = extended;
        session.Reply(extended ? Extensions(session, name) : new SmtpReply(250, null, session.Options.HostName));
        return Task.CompletedTask;
    }

    private static SmtpReply Extensions(SmtpSession session, string clientName)
    {
        var options = session.Options;
        var lines = new List<string>
        {
            $"{options.HostName} greets {clientName}",
            "PIPELINING",
            $"SIZE {options.MaxMessageSize}",
            "8BITMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
            "DSN",
        };
        if (options.StartTlsAvailable && !session.Info.IsTls)
        {
            lines.Add("STARTTLS");
        }

        // RFC 4954 §4 and RFC 8314: offer AUTH only where passwords cannot travel in clear.
        if (options.AuthEnabled && (session.Info.IsTls || options.AllowInsecureAuth) && session.Info.AuthenticatedUser is null)
        {
            lines.Add("AUTH PLAIN LOGIN");
        }

        lines.Add("HELP");
        return new SmtpReply(250, null, lines);
    }

    /// <summary>RFC 5321 §4.1.1.1: <c>Domain / address-literal</c>.</summary>
    private static bool IsDomainOrLiteral(string name)
    {
        var reader = new SmtpTextReader(name);
        var ok = name.StartsWith('[')
            ? SmtpPathParser.TryParseAddressLiteral(ref reader, out _)
            : SmtpPathParser.TryParseDomain(ref reader, out _);
        return ok && reader.End;
    }
}
