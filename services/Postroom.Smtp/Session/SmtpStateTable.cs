using System.Collections.Frozen;
using Postroom.Smtp.Protocol;

namespace Postroom.Smtp.Session;

/// <summary>
/// Which commands each state accepts, and the reply for a command out of sequence. Commands decide the
/// next state themselves when they succeed; this table is the single place that says what may come when.
/// </summary>
internal static class SmtpStateTable
{
    private static readonly string[] Anytime = ["QUIT", "NOOP", "RSET", "HELP", "VRFY", "EHLO", "HELO"];

    private static readonly FrozenDictionary<SmtpState, FrozenSet<string>> Accepted = new Dictionary<SmtpState, FrozenSet<string>>
    {
        [SmtpState.Connected] = Set(Anytime),
        [SmtpState.Ready] = Set([.. Anytime, "MAIL", "STARTTLS", "AUTH"]),
        [SmtpState.MailGiven] = Set([.. Anytime, "RCPT"]),
        [SmtpState.RcptGiven] = Set([.. Anytime, "RCPT", "DATA", "BDAT"]),
        // RFC 3030 §2: once BDAT starts, only more BDAT (or a reset) belongs to the transaction.
        [SmtpState.Bdat] = Set(["BDAT", "RSET", "QUIT", "NOOP"]),
    }.ToFrozenDictionary();

    /// <summary>Null when <paramref name="verb"/> is acceptable now; otherwise the reply to send.</summary>
    public static SmtpReply? Check(SmtpState state, string verb)
    {
        if (Accepted[state].Contains(verb))
        {
            return null;
        }

        return (state, verb) switch
        {
            (SmtpState.Connected, _) => SmtpReplies.NeedHelo,
            (SmtpState.Ready, "RCPT" or "DATA" or "BDAT") => SmtpReplies.NeedMail,
            (SmtpState.MailGiven, "DATA" or "BDAT") => SmtpReplies.NoValidRecipients,
            (SmtpState.MailGiven or SmtpState.RcptGiven, "MAIL") => SmtpReplies.NestedMail,
            (SmtpState.Bdat, "DATA") => SmtpReplies.NoDataAfterBdat,
            _ => SmtpReplies.BadSequence,
        };
    }

    private static FrozenSet<string> Set(string[] verbs) => verbs.ToFrozenSet(StringComparer.Ordinal);
}
