using Postroom.Smtp.Session;

namespace Postroom.Smtp.Commands;

/// <summary>One SMTP command. The state table has already said the command is acceptable now.</summary>
internal interface ISmtpCommand
{
    Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken);
}
