using System.Collections.Frozen;

namespace Postroom.Smtp.Commands;

/// <summary>Every command the server knows, by verb.</summary>
internal static class SmtpCommands
{
    public static readonly FrozenDictionary<string, ISmtpCommand> All = new Dictionary<string, ISmtpCommand>(StringComparer.Ordinal)
    {
        ["EHLO"] = new EhloCommand(extended: true),
        ["HELO"] = new EhloCommand(extended: false),
        ["MAIL"] = new MailCommand(),
        ["RCPT"] = new RcptCommand(),
        ["DATA"] = new DataCommand(),
        ["BDAT"] = new BdatCommand(),
        ["RSET"] = new RsetCommand(),
        ["NOOP"] = new NoopCommand(),
        ["QUIT"] = new QuitCommand(),
        ["VRFY"] = new VrfyCommand(),
        ["HELP"] = new HelpCommand(),
        ["STARTTLS"] = new StartTlsCommand(),
        ["AUTH"] = new AuthCommand(),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
