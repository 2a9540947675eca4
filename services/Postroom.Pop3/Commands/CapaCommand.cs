using Postroom.Pop3.Protocol;
using Postroom.Pop3.Session;

namespace Postroom.Pop3.Commands;

/// <summary>CAPA (RFC 2449 §5): the capabilities that apply in the current state and on this connection.</summary>
internal sealed class CapaCommand : IPop3Command
{
    public Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            session.Error(Pop3Replies.SyntaxError);
            return Task.CompletedTask;
        }

        var options = session.Options;
        session.Reply(Pop3Replies.Capabilities);
        session.WriteLine("TOP");
        session.WriteLine("UIDL");
        session.WriteLine("RESP-CODES");
        session.WriteLine("AUTH-RESP-CODE");
        session.WriteLine("PIPELINING");

        // RFC 2449 §6.6: no EXPIRE, messages are kept until deleted. Login mechanisms only while they apply:
        // before login, and where passwords cannot travel in clear (RFC 2595 §4).
        session.WriteLine("EXPIRE NEVER");
        if (session.State == Pop3State.Authorization)
        {
            if (session.Info.IsTls || options.AllowInsecureAuth)
            {
                session.WriteLine("USER");
                session.WriteLine("SASL PLAIN");
            }

            if (options.StartTlsAvailable && !session.Info.IsTls)
            {
                session.WriteLine("STLS");
            }
        }

        session.WriteLine("IMPLEMENTATION Postroom");
        session.WriteTerminator();
        return Task.CompletedTask;
    }
}
