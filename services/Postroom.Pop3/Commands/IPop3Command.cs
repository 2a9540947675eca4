using Postroom.Pop3.Session;

namespace Postroom.Pop3.Commands;

/// <summary>One POP3 command. The state table has already said the command is acceptable now.</summary>
internal interface IPop3Command
{
    Task ExecuteAsync(Pop3Session session, string arguments, CancellationToken cancellationToken);
}
