using System.Collections.Frozen;

namespace Postroom.Imap.Commands;

/// <summary>Every command the server knows, by name.</summary>
internal static class ImapCommands
{
    public static readonly FrozenDictionary<string, IImapCommand> All = new Dictionary<string, IImapCommand>(StringComparer.Ordinal)
    {
        ["CAPABILITY"] = new CapabilityCommand(),
        ["NOOP"] = new NoopCommand(),
        ["CHECK"] = new NoopCommand(),
        ["LOGOUT"] = new LogoutCommand(),
        ["ID"] = new IdCommand(),
        ["STARTTLS"] = new StartTlsCommand(),
        ["LOGIN"] = new LoginCommand(),
        ["AUTHENTICATE"] = new AuthenticateCommand(),
        ["SELECT"] = new SelectCommand(readOnly: false),
        ["EXAMINE"] = new SelectCommand(readOnly: true),
        ["CREATE"] = new CreateCommand(),
        ["DELETE"] = new DeleteCommand(),
        ["RENAME"] = new RenameCommand(),
        ["SUBSCRIBE"] = new SubscribeCommand(subscribe: true),
        ["UNSUBSCRIBE"] = new SubscribeCommand(subscribe: false),
        ["LIST"] = new ListCommand(subscribedOnly: false),
        ["LSUB"] = new ListCommand(subscribedOnly: true),
        ["STATUS"] = new StatusCommand(),
        ["APPEND"] = new AppendCommand(),
        ["CLOSE"] = new CloseCommand(expunge: true),
        ["UNSELECT"] = new CloseCommand(expunge: false),
        ["EXPUNGE"] = new ExpungeCommand(),
        ["SEARCH"] = new SearchCommand(),
        ["FETCH"] = new FetchCommand(),
        ["STORE"] = new StoreCommand(),
        ["COPY"] = new CopyCommand(move: false),
        ["MOVE"] = new CopyCommand(move: true),
        ["IDLE"] = new IdleCommand(),
        ["NAMESPACE"] = new NamespaceCommand(),
        ["ENABLE"] = new EnableCommand(),
        ["GETQUOTA"] = new GetQuotaCommand(root: false),
        ["GETQUOTAROOT"] = new GetQuotaCommand(root: true),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
