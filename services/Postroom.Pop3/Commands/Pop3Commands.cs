using System.Collections.Frozen;

namespace Postroom.Pop3.Commands;

/// <summary>Every command the server knows, by keyword.</summary>
internal static class Pop3Commands
{
    public static readonly FrozenDictionary<string, IPop3Command> All = new Dictionary<string, IPop3Command>(StringComparer.Ordinal)
    {
        ["USER"] = new UserCommand(),
        ["PASS"] = new PassCommand(),
        ["AUTH"] = new AuthCommand(),
        ["STLS"] = new StlsCommand(),
        ["CAPA"] = new CapaCommand(),
        ["STAT"] = new StatCommand(),
        ["LIST"] = new ListCommand(),
        ["UIDL"] = new UidlCommand(),
        ["RETR"] = new RetrCommand(),
        ["TOP"] = new TopCommand(),
        ["DELE"] = new DeleCommand(),
        ["RSET"] = new RsetCommand(),
        ["NOOP"] = new NoopCommand(),
        ["QUIT"] = new QuitCommand(),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
