using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Commands;

/// <summary>MAIL FROM (RFC 5321 §4.1.1.2): <c>"MAIL FROM:" Reverse-path [SP Mail-parameters]</c>.</summary>
internal sealed class MailCommand : ISmtpCommand
{
    public async Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        if (!PathArgument.TryParse(arguments, "FROM:", reverse: true, out var sender, out var rest))
        {
            session.Error(SmtpReplies.SyntaxError);
            return;
        }

        var parameters = MailParameters.Parse(rest, out var parameterError);
        if (parameters is null)
        {
            session.Error(parameterError!);
            return;
        }

        if (parameters.Size > session.Options.MaxMessageSize)
        {
            session.Reply(SmtpReplies.MessageTooLarge);
            return;
        }

        if (sender.NeedsSmtpUtf8 && !parameters.SmtpUtf8)
        {
            session.Reply(SmtpReplies.SmtpUtf8Required);
            return;
        }

        var refusal = await session.RunPoliciesAsync((p, c) => p.OnMailFromAsync(session.PolicyContext, sender, parameters, c)).ConfigureAwait(false);
        if (refusal is not null)
        {
            session.Reply(refusal);
            return;
        }

        session.Transaction = new SmtpTransaction(sender, parameters, session.Options.MaxMessageSize);
        session.State = SmtpState.MailGiven;
        session.Reply(SmtpReplies.SenderOk);
    }
}

/// <summary>Splits <c>FROM:&lt;path&gt; params</c> and <c>TO:&lt;path&gt; params</c>.</summary>
internal static class PathArgument
{
    public static bool TryParse(string arguments, string keyword, bool reverse, out SmtpPath path, out string parameters)
    {
        path = SmtpPath.Null;
        parameters = "";
        if (!arguments.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var reader = new SmtpTextReader(arguments.AsSpan(keyword.Length));
        // RFC 5321 has no space after the colon; many clients send one, and refusing them helps nobody.
        reader.SkipSpaces();
        var ok = reverse
            ? SmtpPathParser.TryParseReversePath(ref reader, out path)
            : TryParseForwardPath(ref reader, out path);
        if (!ok || (!reader.End && reader.Peek != ' '))
        {
            return false;
        }

        parameters = reader.Remaining.ToString();
        return true;
    }

    /// <summary><c>Forward-path / "&lt;Postmaster&gt;"</c> (RFC 5321 §4.1.1.3): the bare postmaster is always accepted.</summary>
    private static bool TryParseForwardPath(ref SmtpTextReader reader, out SmtpPath path)
    {
        if (reader.Remaining.StartsWith("<postmaster>", StringComparison.OrdinalIgnoreCase))
        {
            reader.Position += "<postmaster>".Length;
            path = new SmtpPath("postmaster", "");
            return true;
        }

        return SmtpPathParser.TryParsePath(ref reader, out path);
    }
}
