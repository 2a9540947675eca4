using System.Collections.Frozen;
using Postroom.Pop3.Protocol;

namespace Postroom.Pop3.Session;

/// <summary>
/// Which commands each state accepts (RFC 1939 §4-§6, RFC 2449 §5 CAPA in both, RFC 2595 §4 STLS and
/// RFC 5034 AUTH in AUTHORIZATION only), and the reply for a command out of sequence.
/// </summary>
internal static class Pop3StateTable
{
    private static readonly FrozenDictionary<Pop3State, FrozenSet<string>> Accepted = new Dictionary<Pop3State, FrozenSet<string>>
    {
        [Pop3State.Authorization] = Set(["USER", "PASS", "AUTH", "STLS", "CAPA", "QUIT"]),
        [Pop3State.Transaction] = Set(["STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "RSET", "NOOP", "CAPA", "QUIT"]),
        [Pop3State.Update] = Set([]),
    }.ToFrozenDictionary();

    /// <summary>Null when <paramref name="verb"/> is acceptable now; otherwise the reply to send.</summary>
    public static Pop3Reply? Check(Pop3State state, string verb)
    {
        if (Accepted[state].Contains(verb))
        {
            return null;
        }

        return (state, verb) switch
        {
            (Pop3State.Transaction, "USER" or "PASS" or "AUTH") => Pop3Replies.AlreadyAuthenticated,
            _ => Pop3Replies.NotInThisState,
        };
    }

    private static FrozenSet<string> Set(string[] verbs) => verbs.ToFrozenSet(StringComparer.Ordinal);
}
