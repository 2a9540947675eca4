namespace Postroom.Imap.Protocol;

/// <summary>Every RFC 3501 §6.4.4 search key, plus And for a parenthesized list.</summary>
public enum SearchKeyKind
{
    All,
    Answered,
    Deleted,
    Draft,
    Flagged,
    New,
    Old,
    Recent,
    Seen,
    Unanswered,
    Undeleted,
    Undraft,
    Unflagged,
    Unseen,
    Keyword,
    Unkeyword,
    Bcc,
    Body,
    Cc,
    From,
    Subject,
    Text,
    To,
    Header,
    Before,
    On,
    Since,
    SentBefore,
    SentOn,
    SentSince,
    Larger,
    Smaller,
    Uid,
    SequenceSet,
    Not,
    Or,
    And,
}

/// <summary>
/// One search key: <see cref="Text"/> for string keys and keywords, <see cref="Field"/> for HEADER,
/// <see cref="Date"/>, <see cref="Size"/>, <see cref="Set"/> for UID and sequence sets, and
/// <see cref="Children"/> for NOT (one), OR (two) and a parenthesized list (And).
/// </summary>
public sealed record SearchKey(
    SearchKeyKind Kind,
    string? Text = null,
    string? Field = null,
    DateOnly Date = default,
    long Size = 0,
    SequenceSet? Set = null,
    IReadOnlyList<SearchKey>? Children = null)
{
    /// <summary>True when evaluating it needs the message's details (dates, size, envelope) or content.</summary>
    public bool NeedsDetails => Kind switch
    {
        SearchKeyKind.Bcc or SearchKeyKind.Body or SearchKeyKind.Cc or SearchKeyKind.From or SearchKeyKind.Subject
            or SearchKeyKind.Text or SearchKeyKind.To or SearchKeyKind.Header or SearchKeyKind.Before or SearchKeyKind.On
            or SearchKeyKind.Since or SearchKeyKind.SentBefore or SearchKeyKind.SentOn or SearchKeyKind.SentSince
            or SearchKeyKind.Larger or SearchKeyKind.Smaller => true,
        _ => Children?.Any(c => c.NeedsDetails) ?? false,
    };
}
