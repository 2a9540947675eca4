using System.Text;

namespace Postroom.Imap.Protocol;

/// <summary>What a fetch-att asks for (RFC 3501 §6.4.5).</summary>
public enum FetchItemKind
{
    Flags,
    InternalDate,
    Rfc822Size,
    Envelope,

    /// <summary>BODY without a section: the non-extensible body structure.</summary>
    Body,
    BodyStructure,
    Uid,

    /// <summary>BODY[section]&lt;partial&gt; and BODY.PEEK[...].</summary>
    BodySection,

    /// <summary>RFC822: BODY[] that sets \Seen.</summary>
    Rfc822,

    /// <summary>RFC822.HEADER: BODY.PEEK[HEADER].</summary>
    Rfc822Header,

    /// <summary>RFC822.TEXT: BODY[TEXT] that sets \Seen.</summary>
    Rfc822Text,
}

/// <summary>One fetch-att.</summary>
public sealed record FetchItem(FetchItemKind Kind, SectionSpec? Section = null, bool Peek = false, uint? PartialOffset = null, uint? PartialLength = null)
{
    /// <summary>True when answering it sets \Seen (RFC 3501 §6.4.5).</summary>
    public bool SetsSeen => Kind is FetchItemKind.Rfc822 or FetchItemKind.Rfc822Text || (Kind == FetchItemKind.BodySection && !Peek);

    /// <summary>True when it needs more than UID and flags.</summary>
    public bool NeedsDetails => Kind is not (FetchItemKind.Flags or FetchItemKind.Uid);
}

/// <summary>The text part of a section-spec.</summary>
public enum SectionText
{
    /// <summary>The whole message, or the whole part.</summary>
    None,
    Header,
    HeaderFields,
    HeaderFieldsNot,
    Text,
    Mime,
}

/// <summary>
/// A section (RFC 3501 §9 <c>section-spec</c>): a part path (empty for the top message), a text
/// specifier, and the header field names of HEADER.FIELDS(.NOT).
/// </summary>
public sealed record SectionSpec(IReadOnlyList<uint> Part, SectionText Text, IReadOnlyList<string> Fields)
{
    public static SectionSpec Whole { get; } = new([], SectionText.None, []);

    /// <summary>The section as the response names it, e.g. <c>1.2.HEADER.FIELDS (FROM TO)</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.AppendJoin('.', Part);
        if (Text != SectionText.None)
        {
            if (Part.Count > 0)
            {
                builder.Append('.');
            }

            builder.Append(Text switch
            {
                SectionText.Header => "HEADER",
                SectionText.HeaderFields => "HEADER.FIELDS",
                SectionText.HeaderFieldsNot => "HEADER.FIELDS.NOT",
                SectionText.Text => "TEXT",
                _ => "MIME",
            });
            if (Text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
            {
                builder.Append(" (").AppendJoin(' ', Fields).Append(')');
            }
        }

        return builder.ToString();
    }
}
