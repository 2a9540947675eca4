using Postroom.Pop3.Protocol;
using Postroom.Pop3.Session;

namespace Postroom.Pop3.Commands;

/// <summary>USER name (RFC 1939 §7). The name is only remembered; nothing tells whether it exists.</summary>
internal sealed class UserCommand : IPop3Command
{
    public Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        // RFC 8314 / RFC 2595 §4: passwords never travel in clear.
        if (!session.Info.IsTls && !session.Options.AllowInsecureAuth)
        {
            session.Reply(Pop3Replies.EncryptionRequired);
            return Task.CompletedTask;
        }

        if (arguments.Length == 0 || arguments.Contains(' ', StringComparison.Ordinal))
        {
            session.Error(Pop3Replies.SyntaxError);
            return Task.CompletedTask;
        }

        session.PendingUser = arguments;
        session.Reply(Pop3Replies.UserAccepted);
        return Task.CompletedTask;
    }
}

/// <summary>
/// PASS string (RFC 1939 §7), valid only right after a successful USER. The password is the rest of the line:
/// RFC 1939 notes it may contain spaces.
/// </summary>
internal sealed class PassCommand : IPop3Command
{
    public async Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        if (session.UserBeforeThisCommand is not { } user)
        {
            session.Error(Pop3Replies.NeedUser);
            return;
        }

        if (arguments.Length == 0)
        {
            session.Error(Pop3Replies.SyntaxError);
            return;
        }

        await session.LoginAsync(user, arguments, "USER").ConfigureAwait(false);
    }
}
