using System.Buffers;
using System.Globalization;
using System.Text;

namespace Postroom.Imap.Protocol;

/// <summary>
/// The RFC 3501 §9 grammar, one <c>TryParseX</c> per rule. Each method either consumes what it recognised
/// and returns true, or returns false (the reader's position is then unspecified: callers give up on the
/// command). Parsers return values; they never write replies.
/// </summary>
/// <remarks>Literals arrive inline, as <c>{n}CRLF</c> followed by n octets, because the command assembler
/// keeps them in the command buffer.</remarks>
public static class ImapParser
{
    /// <summary>The largest number: RFC 3501 numbers are unsigned 32-bit.</summary>
    private const long MaxNumber = uint.MaxValue;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary><c>ATOM-CHAR = &lt;any CHAR except atom-specials&gt;</c>; atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials.</summary>
    public static bool IsAtomChar(byte b) =>
        b is > 0x20 and < 0x7f && b is not ((byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*' or (byte)'"' or (byte)'\\' or (byte)']');

    /// <summary><c>ASTRING-CHAR = ATOM-CHAR / resp-specials</c>.</summary>
    public static bool IsAStringChar(byte b) => IsAtomChar(b) || b == ']';

    /// <summary><c>SP</c>.</summary>
    public static bool TryParseSp(ref SequenceReader<byte> reader) => reader.IsNext((byte)' ', advancePast: true);

    /// <summary>The end of a command: nothing left (the assembler strips the final CRLF).</summary>
    public static bool IsEnd(ref SequenceReader<byte> reader) => reader.End;

    /// <summary><c>tag = 1*&lt;any ASTRING-CHAR except "+"&gt;</c>.</summary>
    public static bool TryParseTag(ref SequenceReader<byte> reader, out string tag)
    {
        tag = "";
        var start = reader.Position;
        while (reader.TryPeek(out var b) && IsAStringChar(b) && b != '+')
        {
            reader.Advance(1);
        }

        var span = reader.Sequence.Slice(start, reader.Position);
        if (span.IsEmpty)
        {
            return false;
        }

        tag = Encoding.ASCII.GetString(span);
        return true;
    }

    /// <summary><c>atom = 1*ATOM-CHAR</c>.</summary>
    public static bool TryParseAtom(ref SequenceReader<byte> reader, out string atom)
    {
        atom = "";
        var start = reader.Position;
        while (reader.TryPeek(out var b) && IsAtomChar(b))
        {
            reader.Advance(1);
        }

        var span = reader.Sequence.Slice(start, reader.Position);
        if (span.IsEmpty)
        {
            return false;
        }

        atom = Encoding.ASCII.GetString(span);
        return true;
    }

    /// <summary>
    /// <c>quoted = DQUOTE *QUOTED-CHAR DQUOTE</c>; <c>QUOTED-CHAR = &lt;any TEXT-CHAR except quoted-specials&gt; / "\" quoted-specials</c>.
    /// UTF-8 is accepted (RFC 6855 §3); CR, LF and NUL are not.
    /// </summary>
    public static bool TryParseQuoted(ref SequenceReader<byte> reader, out string value)
    {
        value = "";
        if (!reader.IsNext((byte)'"', advancePast: true))
        {
            return false;
        }

        var bytes = new ArrayBufferWriter<byte>();
        while (reader.TryRead(out var b))
        {
            switch (b)
            {
                case (byte)'"':
                    return TryDecodeUtf8(bytes.WrittenSpan, out value);
                case (byte)'\\':
                    if (!reader.TryRead(out var escaped) || escaped is not ((byte)'"' or (byte)'\\'))
                    {
                        return false;
                    }

                    bytes.Write([escaped]);
                    break;
                case 0 or (byte)'\r' or (byte)'\n':
                    return false;
                default:
                    bytes.Write([b]);
                    break;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>literal = "{" number ["+"] "}" CRLF *CHAR8</c> (the "+" is LITERAL+, RFC 7888). The octets are
    /// returned as they are; NUL is refused (RFC 3501 §4.3: CHAR8 excludes it).
    /// </summary>
    public static bool TryParseLiteral(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> octets)
    {
        octets = default;
        if (!TryParseLiteralHeader(ref reader, out var length, out _)
            || !reader.IsNext("\r\n"u8, advancePast: true)
            || reader.Remaining < length)
        {
            return false;
        }

        octets = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        return octets.PositionOf((byte)0) is null;
    }

    /// <summary>The <c>"{" number ["+"] "}"</c> of a literal, without the CRLF.</summary>
    public static bool TryParseLiteralHeader(ref SequenceReader<byte> reader, out long length, out bool nonSynchronizing)
    {
        length = 0;
        nonSynchronizing = false;
        if (!reader.IsNext((byte)'{', advancePast: true) || !TryParseNumber64(ref reader, out length))
        {
            return false;
        }

        nonSynchronizing = reader.IsNext((byte)'+', advancePast: true);
        return reader.IsNext((byte)'}', advancePast: true);
    }

    /// <summary><c>string = quoted / literal</c>, as UTF-8 text.</summary>
    public static bool TryParseString(ref SequenceReader<byte> reader, out string value)
    {
        value = "";
        if (reader.TryPeek(out var b) && b == '"')
        {
            return TryParseQuoted(ref reader, out value);
        }

        return TryParseLiteral(ref reader, out var octets) && TryDecodeUtf8(octets.ToArray(), out value);
    }

    /// <summary><c>astring = 1*ASTRING-CHAR / string</c>.</summary>
    public static bool TryParseAString(ref SequenceReader<byte> reader, out string value)
    {
        value = "";
        if (!reader.TryPeek(out var b))
        {
            return false;
        }

        if (b is (byte)'"' or (byte)'{')
        {
            return TryParseString(ref reader, out value);
        }

        var start = reader.Position;
        while (reader.TryPeek(out b) && IsAStringChar(b))
        {
            reader.Advance(1);
        }

        var span = reader.Sequence.Slice(start, reader.Position);
        if (span.IsEmpty)
        {
            return false;
        }

        value = Encoding.ASCII.GetString(span);
        return true;
    }

    /// <summary>
    /// <c>mailbox = "INBOX" / astring</c>, decoded from modified UTF-7 (RFC 3501 §5.1.3). Only the wire form is
    /// checked here; <see cref="Postroom.Mailbox.MailboxNames.Normalize"/> decides whether it is a valid name.
    /// </summary>
    public static bool TryParseMailbox(ref SequenceReader<byte> reader, out string name)
    {
        name = "";
        return TryParseAString(ref reader, out var wire) && ModifiedUtf7.TryDecode(wire, out name);
    }

    /// <summary><c>list-mailbox = 1*list-char / string</c>; <c>list-char = ATOM-CHAR / list-wildcards / resp-specials</c>.</summary>
    public static bool TryParseListMailbox(ref SequenceReader<byte> reader, out string pattern)
    {
        pattern = "";
        if (!reader.TryPeek(out var b))
        {
            return false;
        }

        string wire;
        if (b is (byte)'"' or (byte)'{')
        {
            if (!TryParseString(ref reader, out wire))
            {
                return false;
            }
        }
        else
        {
            var start = reader.Position;
            while (reader.TryPeek(out b) && (IsAStringChar(b) || b is (byte)'%' or (byte)'*'))
            {
                reader.Advance(1);
            }

            var span = reader.Sequence.Slice(start, reader.Position);
            if (span.IsEmpty)
            {
                return false;
            }

            wire = Encoding.ASCII.GetString(span);
        }

        return ModifiedUtf7.TryDecode(wire, out pattern);
    }

    /// <summary><c>number = 1*DIGIT</c> (unsigned 32-bit).</summary>
    public static bool TryParseNumber(ref SequenceReader<byte> reader, out uint value)
    {
        value = 0;
        if (!TryParseNumber64(ref reader, out var n) || n > MaxNumber)
        {
            return false;
        }

        value = (uint)n;
        return true;
    }

    /// <summary><c>nz-number = digit-nz *DIGIT</c>.</summary>
    public static bool TryParseNzNumber(ref SequenceReader<byte> reader, out uint value) =>
        TryParseNumber(ref reader, out value) && value != 0;

    /// <summary>
    /// <c>sequence-set = (seq-number / seq-range) *("," sequence-set)</c>; <c>seq-number = nz-number / "*"</c>;
    /// <c>seq-range = seq-number ":" seq-number</c>. "*" is <see cref="SequenceSet.Star"/>.
    /// </summary>
    public static bool TryParseSequenceSet(ref SequenceReader<byte> reader, out SequenceSet set)
    {
        set = new SequenceSet([]);
        var ranges = new List<SequenceRange>();
        do
        {
            if (!TryParseSeqNumber(ref reader, out var first))
            {
                return false;
            }

            var last = first;
            if (reader.IsNext((byte)':', advancePast: true) && !TryParseSeqNumber(ref reader, out last))
            {
                return false;
            }

            ranges.Add(new SequenceRange(first, last));
        }
        while (reader.IsNext((byte)',', advancePast: true));

        // The next octet must end the set; "1a" is not "1".
        if (reader.TryPeek(out var next) && next is not ((byte)' ' or (byte)')'))
        {
            return false;
        }

        set = new SequenceSet(ranges);
        return true;
    }

    private static bool TryParseSeqNumber(ref SequenceReader<byte> reader, out uint value)
    {
        if (reader.IsNext((byte)'*', advancePast: true))
        {
            value = SequenceSet.Star;
            return true;
        }

        return TryParseNzNumber(ref reader, out value);
    }

    /// <summary><c>flag-list = "(" [flag *(SP flag)] ")"</c>.</summary>
    public static bool TryParseFlagList(ref SequenceReader<byte> reader, out List<string> flags)
    {
        flags = [];
        if (!reader.IsNext((byte)'(', advancePast: true))
        {
            return false;
        }

        if (reader.IsNext((byte)')', advancePast: true))
        {
            return true;
        }

        do
        {
            if (!TryParseFlag(ref reader, out var flag))
            {
                return false;
            }

            flags.Add(flag);
        }
        while (TryParseSp(ref reader));

        return reader.IsNext((byte)')', advancePast: true);
    }

    /// <summary><c>flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword / flag-extension</c>.</summary>
    public static bool TryParseFlag(ref SequenceReader<byte> reader, out string flag)
    {
        var system = reader.IsNext((byte)'\\', advancePast: true);
        if (!TryParseAtom(ref reader, out flag))
        {
            return false;
        }

        if (system)
        {
            flag = "\\" + flag;
        }

        return true;
    }

    /// <summary>
    /// <c>date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE</c>
    /// (a one-digit day without the leading space is accepted too, as many clients send it).
    /// </summary>
    public static bool TryParseDateTime(ref SequenceReader<byte> reader, out DateTimeOffset value)
    {
        value = default;
        if (!TryParseQuoted(ref reader, out var text))
        {
            return false;
        }

        text = text.TrimStart(' ');
        return DateTimeOffset.TryParseExact(text, ["d-MMM-yyyy HH:mm:ss zzz", "dd-MMM-yyyy HH:mm:ss zzz"], CultureInfo.InvariantCulture, DateTimeStyles.None, out value)
            || TryParseDateTimeWithCompactZone(text, out value);
    }

    private static bool TryParseDateTimeWithCompactZone(string text, out DateTimeOffset value)
    {
        value = default;

        // "zone = ("+" / "-") 4DIGIT": .NET's zzz wants a colon, so split the zone off ourselves.
        var space = text.LastIndexOf(' ');
        if (space < 0 || text.Length - space != 6 || text[space + 1] is not ('+' or '-')
            || !int.TryParse(text.AsSpan(space + 2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(text.AsSpan(space + 4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59
            || !DateTime.TryParseExact(text[..space], ["d-MMM-yyyy HH:mm:ss", "dd-MMM-yyyy HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        var offset = new TimeSpan(hours, minutes, 0);
        value = new DateTimeOffset(local, text[space + 1] == '-' ? -offset : offset);
        return true;
    }

    /// <summary><c>date = date-text / DQUOTE date-text DQUOTE</c>; <c>date-text = date-day "-" date-month "-" date-year</c>.</summary>
    public static bool TryParseDate(ref SequenceReader<byte> reader, out DateOnly date)
    {
        date = default;
        string text;
        if (reader.TryPeek(out var b) && b == '"')
        {
            if (!TryParseQuoted(ref reader, out text))
            {
                return false;
            }
        }
        else if (!TryParseAtom(ref reader, out text))
        {
            return false;
        }

        var parts = text.Split('-');
        if (parts.Length != 3 || parts[0].Length is < 1 or > 2 || parts[2].Length != 4
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return false;
        }

        var month = Array.FindIndex(Months, m => m.Equals(parts[1], StringComparison.OrdinalIgnoreCase)) + 1;
        if (month == 0 || year < 1 || day > DateTime.DaysInMonth(year, month) || day < 1)
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// <c>fetch-args = "ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")"</c>. The macros
    /// expand as RFC 3501 §6.4.5 says.
    /// </summary>
    public static bool TryParseFetchAttributes(ref SequenceReader<byte> reader, out List<FetchItem> items)
    {
        items = [];
        if (reader.IsNext((byte)'(', advancePast: true))
        {
            do
            {
                if (!TryParseFetchAtt(ref reader, out var item))
                {
                    return false;
                }

                items.Add(item);
            }
            while (TryParseSp(ref reader));

            return reader.IsNext((byte)')', advancePast: true);
        }

        var save = reader;
        if (TryParseAtom(ref reader, out var word))
        {
            FetchItem[]? macro = word.ToUpperInvariant() switch
            {
                "ALL" => [new(FetchItemKind.Flags), new(FetchItemKind.InternalDate), new(FetchItemKind.Rfc822Size), new(FetchItemKind.Envelope)],
                "FAST" => [new(FetchItemKind.Flags), new(FetchItemKind.InternalDate), new(FetchItemKind.Rfc822Size)],
                "FULL" => [new(FetchItemKind.Flags), new(FetchItemKind.InternalDate), new(FetchItemKind.Rfc822Size), new(FetchItemKind.Envelope), new(FetchItemKind.Body)],
                _ => null,
            };
            if (macro is not null)
            {
                items.AddRange(macro);
                return true;
            }
        }

        reader = save;
        if (!TryParseFetchAtt(ref reader, out var single))
        {
            return false;
        }

        items.Add(single);
        return true;
    }

    /// <summary>
    /// <c>fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
    /// "BODY" ["STRUCTURE"] / "UID" / "BODY" section ["&lt;" number "." nz-number "&gt;"] /
    /// "BODY.PEEK" section ["&lt;" number "." nz-number "&gt;"]</c>.
    /// </summary>
    public static bool TryParseFetchAtt(ref SequenceReader<byte> reader, out FetchItem item)
    {
        item = new FetchItem(FetchItemKind.Flags);
        var start = reader.Position;
        while (reader.TryPeek(out var b) && (IsAtomChar(b) && b != '[' || b == '.'))
        {
            reader.Advance(1);
        }

        var name = Encoding.ASCII.GetString(reader.Sequence.Slice(start, reader.Position)).ToUpperInvariant();
        switch (name)
        {
            case "ENVELOPE": item = new(FetchItemKind.Envelope); return true;
            case "FLAGS": item = new(FetchItemKind.Flags); return true;
            case "INTERNALDATE": item = new(FetchItemKind.InternalDate); return true;
            case "RFC822": item = new(FetchItemKind.Rfc822); return true;
            case "RFC822.HEADER": item = new(FetchItemKind.Rfc822Header); return true;
            case "RFC822.SIZE": item = new(FetchItemKind.Rfc822Size); return true;
            case "RFC822.TEXT": item = new(FetchItemKind.Rfc822Text); return true;
            case "BODYSTRUCTURE": item = new(FetchItemKind.BodyStructure); return true;
            case "UID": item = new(FetchItemKind.Uid); return true;
            case "BODY" or "BODY.PEEK":
                break;
            default:
                return false;
        }

        var peek = name == "BODY.PEEK";
        if (!reader.TryPeek(out var open) || open != '[')
        {
            // "BODY" alone is the body structure; "BODY.PEEK" needs a section.
            item = new(FetchItemKind.Body);
            return !peek;
        }

        if (!TryParseSection(ref reader, out var section))
        {
            return false;
        }

        uint? offset = null, length = null;
        if (reader.IsNext((byte)'<', advancePast: true))
        {
            if (!TryParseNumber(ref reader, out var o) || !reader.IsNext((byte)'.', advancePast: true)
                || !TryParseNzNumber(ref reader, out var l) || !reader.IsNext((byte)'>', advancePast: true))
            {
                return false;
            }

            (offset, length) = (o, l);
        }

        item = new FetchItem(FetchItemKind.BodySection, section, peek, offset, length);
        return true;
    }

    /// <summary>
    /// <c>section = "[" [section-spec] "]"</c>; <c>section-spec = section-msgtext / (section-part ["." section-text])</c>;
    /// <c>section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"</c>;
    /// <c>section-text = section-msgtext / "MIME"</c>; <c>section-part = nz-number *("." nz-number)</c>.
    /// </summary>
    public static bool TryParseSection(ref SequenceReader<byte> reader, out SectionSpec section)
    {
        section = SectionSpec.Whole;
        if (!reader.IsNext((byte)'[', advancePast: true))
        {
            return false;
        }

        var part = new List<uint>();
        var afterDot = false;
        while (reader.TryPeek(out var b) && b is >= (byte)'0' and <= (byte)'9')
        {
            if (!TryParseNzNumber(ref reader, out var n) || part.Count >= 32)
            {
                return false;
            }

            part.Add(n);
            afterDot = reader.IsNext((byte)'.', advancePast: true);
            if (!afterDot || !(reader.TryPeek(out var d) && d is >= (byte)'0' and <= (byte)'9'))
            {
                break;
            }
        }

        var text = SectionText.None;
        IReadOnlyList<string> fields = [];
        if (part.Count == 0 || afterDot)
        {
            var start = reader.Position;
            while (reader.TryPeek(out var b) && (char.IsAsciiLetter((char)b) || b == '.'))
            {
                reader.Advance(1);
            }

            var word = Encoding.ASCII.GetString(reader.Sequence.Slice(start, reader.Position)).ToUpperInvariant();
            switch (word)
            {
                case "" when part.Count == 0:
                    break;
                case "HEADER": text = SectionText.Header; break;
                case "TEXT": text = SectionText.Text; break;
                case "MIME" when part.Count > 0: text = SectionText.Mime; break;
                case "HEADER.FIELDS" or "HEADER.FIELDS.NOT":
                    text = word.Length == 13 ? SectionText.HeaderFields : SectionText.HeaderFieldsNot;
                    if (!TryParseSp(ref reader) || !TryParseHeaderList(ref reader, out var list))
                    {
                        return false;
                    }

                    fields = list;
                    break;
                default:
                    return false;
            }
        }

        if (!reader.IsNext((byte)']', advancePast: true))
        {
            return false;
        }

        section = new SectionSpec(part, text, fields);
        return true;
    }

    /// <summary><c>header-list = "(" header-fld-name *(SP header-fld-name) ")"</c>; <c>header-fld-name = astring</c>.</summary>
    public static bool TryParseHeaderList(ref SequenceReader<byte> reader, out List<string> names)
    {
        names = [];
        if (!reader.IsNext((byte)'(', advancePast: true))
        {
            return false;
        }

        do
        {
            // RFC 5322 §3.6.8: a field name is printable ASCII without ":".
            if (!TryParseAString(ref reader, out var name) || name.Length == 0 || name.Any(c => c is <= ' ' or > '~' or ':'))
            {
                return false;
            }

            names.Add(name.ToUpperInvariant());
        }
        while (TryParseSp(ref reader));

        return reader.IsNext((byte)')', advancePast: true);
    }

    /// <summary>
    /// <c>search = "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)</c>, from after "SEARCH SP". Several keys
    /// are one And key. <paramref name="maxDepth"/> bounds the nesting of parentheses, NOT and OR.
    /// </summary>
    public static bool TryParseSearchProgram(ref SequenceReader<byte> reader, int maxDepth, out string? charset, out SearchKey program)
    {
        charset = null;
        program = new SearchKey(SearchKeyKind.All);
        var save = reader;
        if (TryParseAtom(ref reader, out var word) && word.Equals("CHARSET", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseSp(ref reader) || !TryParseAString(ref reader, out var name) || !TryParseSp(ref reader))
            {
                return false;
            }

            charset = name;
        }
        else
        {
            reader = save;
        }

        var keys = new List<SearchKey>();
        do
        {
            if (!TryParseSearchKey(ref reader, maxDepth, out var key))
            {
                return false;
            }

            keys.Add(key);
        }
        while (TryParseSp(ref reader));

        program = keys.Count == 1 ? keys[0] : new SearchKey(SearchKeyKind.And, Children: keys);
        return reader.End;
    }

    /// <summary>One <c>search-key</c> (RFC 3501 §9), with <c>"(" search-key *(SP search-key) ")"</c> groups.</summary>
    public static bool TryParseSearchKey(ref SequenceReader<byte> reader, int depth, out SearchKey key)
    {
        key = new SearchKey(SearchKeyKind.All);
        if (depth <= 0)
        {
            return false;
        }

        if (reader.IsNext((byte)'(', advancePast: true))
        {
            var children = new List<SearchKey>();
            do
            {
                if (!TryParseSearchKey(ref reader, depth - 1, out var child))
                {
                    return false;
                }

                children.Add(child);
            }
            while (TryParseSp(ref reader));

            if (!reader.IsNext((byte)')', advancePast: true))
            {
                return false;
            }

            key = new SearchKey(SearchKeyKind.And, Children: children);
            return true;
        }

        if (reader.TryPeek(out var first) && (first is >= (byte)'0' and <= (byte)'9' || first == '*'))
        {
            if (!TryParseSequenceSet(ref reader, out var set))
            {
                return false;
            }

            key = new SearchKey(SearchKeyKind.SequenceSet, Set: set);
            return true;
        }

        if (!TryParseAtom(ref reader, out var word))
        {
            return false;
        }

        var upper = word.ToUpperInvariant();
        SearchKeyKind? simple = upper switch
        {
            "ALL" => SearchKeyKind.All,
            "ANSWERED" => SearchKeyKind.Answered,
            "DELETED" => SearchKeyKind.Deleted,
            "DRAFT" => SearchKeyKind.Draft,
            "FLAGGED" => SearchKeyKind.Flagged,
            "NEW" => SearchKeyKind.New,
            "OLD" => SearchKeyKind.Old,
            "RECENT" => SearchKeyKind.Recent,
            "SEEN" => SearchKeyKind.Seen,
            "UNANSWERED" => SearchKeyKind.Unanswered,
            "UNDELETED" => SearchKeyKind.Undeleted,
            "UNDRAFT" => SearchKeyKind.Undraft,
            "UNFLAGGED" => SearchKeyKind.Unflagged,
            "UNSEEN" => SearchKeyKind.Unseen,
            _ => null,
        };
        if (simple is { } kind)
        {
            key = new SearchKey(kind);
            return true;
        }

        if (!TryParseSp(ref reader))
        {
            return false;
        }

        switch (upper)
        {
            case "KEYWORD" or "UNKEYWORD":
                if (!TryParseAtom(ref reader, out var keyword))
                {
                    return false;
                }

                key = new SearchKey(upper == "KEYWORD" ? SearchKeyKind.Keyword : SearchKeyKind.Unkeyword, keyword);
                return true;
            case "BCC" or "BODY" or "CC" or "FROM" or "SUBJECT" or "TEXT" or "TO":
                if (!TryParseAString(ref reader, out var text))
                {
                    return false;
                }

                key = new SearchKey(Enum.Parse<SearchKeyKind>(upper, ignoreCase: true), text);
                return true;
            case "HEADER":
                if (!TryParseAString(ref reader, out var field) || !TryParseSp(ref reader) || !TryParseAString(ref reader, out var value))
                {
                    return false;
                }

                key = new SearchKey(SearchKeyKind.Header, value, field);
                return true;
            case "BEFORE" or "ON" or "SINCE" or "SENTBEFORE" or "SENTON" or "SENTSINCE":
                if (!TryParseDate(ref reader, out var date))
                {
                    return false;
                }

                key = new SearchKey(Enum.Parse<SearchKeyKind>(upper, ignoreCase: true), Date: date);
                return true;
            case "LARGER" or "SMALLER":
                if (!TryParseNumber(ref reader, out var size))
                {
                    return false;
                }

                key = new SearchKey(upper == "LARGER" ? SearchKeyKind.Larger : SearchKeyKind.Smaller, Size: size);
                return true;
            case "UID":
                if (!TryParseSequenceSet(ref reader, out var uids))
                {
                    return false;
                }

                key = new SearchKey(SearchKeyKind.Uid, Set: uids);
                return true;
            case "NOT":
                if (!TryParseSearchKey(ref reader, depth - 1, out var negated))
                {
                    return false;
                }

                key = new SearchKey(SearchKeyKind.Not, Children: [negated]);
                return true;
            case "OR":
                if (!TryParseSearchKey(ref reader, depth - 1, out var left) || !TryParseSp(ref reader)
                    || !TryParseSearchKey(ref reader, depth - 1, out var right))
                {
                    return false;
                }

                key = new SearchKey(SearchKeyKind.Or, Children: [left, right]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))</c>.
    /// </summary>
    public static bool TryParseStoreAction(ref SequenceReader<byte> reader, out StoreAction action)
    {
        action = new StoreAction(Postroom.Mailbox.FlagOperation.Replace, false, []);
        var operation = Postroom.Mailbox.FlagOperation.Replace;
        if (reader.IsNext((byte)'+', advancePast: true))
        {
            operation = Postroom.Mailbox.FlagOperation.Add;
        }
        else if (reader.IsNext((byte)'-', advancePast: true))
        {
            operation = Postroom.Mailbox.FlagOperation.Remove;
        }

        var start = reader.Position;
        while (reader.TryPeek(out var b) && (char.IsAsciiLetter((char)b) || b == '.'))
        {
            reader.Advance(1);
        }

        var word = Encoding.ASCII.GetString(reader.Sequence.Slice(start, reader.Position)).ToUpperInvariant();
        if (word is not ("FLAGS" or "FLAGS.SILENT") || !TryParseSp(ref reader))
        {
            return false;
        }

        List<string> flags;
        if (reader.TryPeek(out var open) && open == '(')
        {
            if (!TryParseFlagList(ref reader, out flags))
            {
                return false;
            }
        }
        else
        {
            flags = [];
            do
            {
                if (!TryParseFlag(ref reader, out var flag))
                {
                    return false;
                }

                flags.Add(flag);
            }
            while (TryParseSp(ref reader));
        }

        action = new StoreAction(operation, word == "FLAGS.SILENT", flags);
        return true;
    }

    /// <summary><c>"(" status-att *(SP status-att) ")"</c>.</summary>
    public static bool TryParseStatusAttributes(ref SequenceReader<byte> reader, out List<string> attributes)
    {
        attributes = [];
        if (!reader.IsNext((byte)'(', advancePast: true))
        {
            return false;
        }

        do
        {
            if (!TryParseAtom(ref reader, out var name))
            {
                return false;
            }

            var upper = name.ToUpperInvariant();
            if (upper is not ("MESSAGES" or "RECENT" or "UIDNEXT" or "UIDVALIDITY" or "UNSEEN" or "HIGHESTMODSEQ" or "SIZE"))
            {
                return false;
            }

            attributes.Add(upper);
        }
        while (TryParseSp(ref reader));

        return reader.IsNext((byte)')', advancePast: true);
    }

    private static bool TryParseNumber64(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        var digits = 0;
        while (reader.TryPeek(out var b) && b is >= (byte)'0' and <= (byte)'9')
        {
            // Refuse before overflow: no IMAP number is above 2^32 - 1 except a literal length, bounded by limits.
            if (++digits > 18)
            {
                return false;
            }

            value = (value * 10) + (b - '0');
            reader.Advance(1);
        }

        return digits > 0;
    }

    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, out string value)
    {
        try
        {
            value = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            value = "";
            return false;
        }
    }
}

/// <summary>A STORE data item: how to change the flags, whether to answer with FETCH, and the flags.</summary>
public sealed record StoreAction(Postroom.Mailbox.FlagOperation Operation, bool Silent, IReadOnlyList<string> Flags);
