using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Commands;

/// <summary>RSET (RFC 5321 §4.1.1.5): abandon the transaction, keep the greeting.</summary>
internal sealed class RsetCommand : ISmtpCommand
{
    public Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            session.Error(SmtpReplies.SyntaxError);
            return Task.CompletedTask;
        }

        session.ResetTransaction();
        session.Reply(SmtpReplies.ResetOk);
        return Task.CompletedTask;
    }
}

/// <summary>NOOP (RFC 5321 §4.1.1.9): the argument, if any, is ignored.</summary>
internal sealed class NoopCommand : ISmtpCommand
{
    public Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        session.Reply(SmtpReplies.NoopOk);
        return Task.CompletedTask;
    }
}

/// <summary>QUIT (RFC 5321 §4.1.1.10).</summary>
internal sealed class QuitCommand : ISmtpCommand
{
    public Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        session.Reply(SmtpReplies.Bye);
        return Task.CompletedTask;
    }
}

/// <summary>VRFY (RFC 5321 §3.5.3): 252, so it discloses nothing about which users exist.</summary>
internal sealed class VrfyCommand : ISmtpCommand
{
    public Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            session.Error(SmtpReplies.SyntaxError);
        }
        else
        {
            session.Reply(SmtpReplies.CannotVerify);
        }

        return Task.CompletedTask;
    }
}

/// <summary>HELP (RFC 5321 §4.1.1.8).</summary>
internal sealed class HelpCommand : ISmtpCommand
{
    public Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        session.Reply(SmtpReplies.Help);
        return Task.CompletedTask;
    }
}
