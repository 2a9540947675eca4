using System.Globalization;
using Postroom.Pop3.Protocol;
using Postroom.Pop3.Session;

namespace Postroom.Pop3.Commands;

/// <summary>STAT (RFC 1939 §5): count and size of the messages not marked deleted.</summary>
internal sealed class StatCommand : IPop3Command
{
    public Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            session.Error(Pop3Replies.SyntaxError);
            return Task.CompletedTask;
        }

        var maildrop = session.Maildrop!;
        session.Reply(Pop3Replies.Stat(maildrop.LiveCount, maildrop.LiveSize));
        return Task.CompletedTask;
    }
}

/// <summary>LIST [msg] (RFC 1939 §5): a scan listing of one message, or of every message not marked deleted.</summary>
internal sealed class ListCommand : IPop3Command
{
    public Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        var maildrop = session.Maildrop!;
        if (arguments.Length > 0)
        {
            if (session.FindMessage(arguments, out var message) is { } error)
            {
                session.Error(error);
            }
            else
            {
                session.Reply(Pop3Replies.Scan(message!.Number, message.Size));
            }

            return Task.CompletedTask;
        }

        session.Reply(Pop3Replies.ListFollows(maildrop.LiveCount, maildrop.LiveSize));
        foreach (var message in maildrop.Live)
        {
            session.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{message.Number} {message.Size}"));
        }

        session.WriteTerminator();
        return Task.CompletedTask;
    }
}

/// <summary>UIDL [msg] (RFC 1939 §7): unique-id listings, stable across sessions.</summary>
internal sealed class UidlCommand : IPop3Command
{
    public Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        var maildrop = session.Maildrop!;
        if (arguments.Length > 0)
        {
            if (session.FindMessage(arguments, out var message) is { } error)
            {
                session.Error(error);
            }
            else
            {
                session.Reply(Pop3Replies.UniqueId(message!.Number, maildrop.UniqueId(message)));
            }

            return Task.CompletedTask;
        }

        session.Reply(Pop3Replies.UidlFollows);
        foreach (var message in maildrop.Live)
        {
            session.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{message.Number} {maildrop.UniqueId(message)}"));
        }

        session.WriteTerminator();
        return Task.CompletedTask;
    }
}

/// <summary>RETR msg (RFC 1939 §5): the whole message, dot-stuffed.</summary>
internal sealed class RetrCommand : IPop3Command
{
    public async Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        if (session.FindMessage(arguments, out var message) is { } error)
        {
            session.Error(error);
            return;
        }

        if (await session.SendMessageAsync(message!, bodyLines: null).ConfigureAwait(false))
        {
            session.Maildrop!.Retrieved.Add(message!.Uid);
            Pop3Metrics.Retrieved.Add(1);
        }
    }
}

/// <summary>TOP msg n (RFC 1939 §7): the header, the blank line and the first n body lines.</summary>
internal sealed class TopCommand : IPop3Command
{
    public async Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        var parts = Pop3Arguments.Split(arguments);
        if (parts.Length != 2 || !Pop3Arguments.TryParseLineCount(parts[1], out var lines))
        {
            session.Error(Pop3Replies.SyntaxError);
            return;
        }

        if (session.FindMessage(parts[0], out var message) is { } error)
        {
            session.Error(error);
            return;
        }

        await session.SendMessageAsync(message!, lines).ConfigureAwait(false);
    }
}

/// <summary>DELE msg (RFC 1939 §5): marks the message; it is removed only at QUIT.</summary>
internal sealed class DeleCommand : IPop3Command
{
    public Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        if (session.FindMessage(arguments, out var message) is { } error)
        {
            session.Error(error);
            return Task.CompletedTask;
        }

        session.Maildrop!.MarkDeleted(message!.Number);
        session.Reply(Pop3Replies.MarkedDeleted(message.Number));
        return Task.CompletedTask;
    }
}

/// <summary>RSET (RFC 1939 §5): every deletion mark is removed.</summary>
internal sealed class RsetCommand : IPop3Command
{
    public Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            session.Error(Pop3Replies.SyntaxError);
            return Task.CompletedTask;
        }

        var maildrop = session.Maildrop!;
        maildrop.ResetDeletions();
        session.Reply(Pop3Replies.Reset(maildrop.LiveCount, maildrop.LiveSize));
        return Task.CompletedTask;
    }
}

/// <summary>NOOP (RFC 1939 §5).</summary>
internal sealed class NoopCommand : IPop3Command
{
    public Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            session.Error(Pop3Replies.SyntaxError);
        }
        else
        {
            session.Reply(Pop3Replies.NoopOk);
        }

        return Task.CompletedTask;
    }
}

/// <summary>QUIT (RFC 1939 §4, §6): in AUTHORIZATION it just signs off; in TRANSACTION it enters UPDATE.</summary>
internal sealed class QuitCommand : IPop3Command
{
    public async Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        if (session.State == Pop3State.Transaction)
        {
            await session.UpdateAsync().ConfigureAwait(false);
            return;
        }

        session.EndReason = "quit";
        session.Reply(Pop3Replies.Bye);
    }
}
