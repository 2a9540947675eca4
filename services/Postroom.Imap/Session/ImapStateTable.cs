using System.Collections.Frozen;

namespace Postroom.Imap.Session;

/// <summary>
/// Which commands each state accepts (RFC 3501 §6). Commands decide the next state themselves when they
/// succeed; this table is the single place that says what may come when.
/// </summary>
internal static class ImapStateTable
{
    private static readonly string[] Any = ["CAPABILITY", "NOOP", "LOGOUT", "ID"];

    private static readonly string[] Authenticated =
    [
        .. Any, "SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "LIST", "LSUB",
        "STATUS", "APPEND", "IDLE", "NAMESPACE", "ENABLE", "GETQUOTA", "GETQUOTAROOT",
    ];

    private static readonly FrozenDictionary<ImapState, FrozenSet<string>> Accepted = new Dictionary<ImapState, FrozenSet<string>>
    {
        [ImapState.NotAuthenticated] = Set([.. Any, "STARTTLS", "LOGIN", "AUTHENTICATE"]),
        [ImapState.Authenticated] = Set(Authenticated),
        [ImapState.Selected] = Set([.. Authenticated, "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "MOVE", "UID"]),
        [ImapState.Logout] = Set([]),
    }.ToFrozenDictionary();

    public static bool Allows(ImapState state, string command) => Accepted[state].Contains(command);

    private static FrozenSet<string> Set(string[] commands) => commands.ToFrozenSet(StringComparer.Ordinal);
}
