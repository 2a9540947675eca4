using System.Buffers;
using System.Text;
using Postroom.Imap.Protocol;
using Postroom.Mailbox;

namespace Postroom.Imap.Tests;

public sealed class ParserTests
{
    private static SequenceReader<byte> Reader(string text) => new(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1:5", "1:5")]
    [InlineData("*", "*")]
    [InlineData("1:*", "1:*")]
    [InlineData("2,4:7,9,12:*", "2,4:7,9,12:*")]
    [InlineData("4294967295", "4294967295")]
    public void Sequence_sets_parse(string text, string expected)
    {
        var reader = Reader(text);
        Assert.True(ImapParser.TryParseSequenceSet(ref reader, out var set));
        Assert.True(reader.End);
        Assert.Equal(expected, set.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1:")]
    [InlineData("a:b")]
    [InlineData(":5")]
    [InlineData("1,,2")]
    [InlineData("4294967296")]
    [InlineData("99999999999999999999999")]
    [InlineData("1:0")]
    [InlineData("1a")]
    [InlineData("")]
    public void Invalid_sequence_sets_are_refused(string text)
    {
        var reader = Reader(text);
        Assert.False(ImapParser.TryParseSequenceSet(ref reader, out _));
    }

    [Fact]
    public void Star_resolves_to_the_largest_and_ranges_are_ordered()
    {
        var reader = Reader("5:2,*");
        Assert.True(ImapParser.TryParseSequenceSet(ref reader, out var set));
        Assert.Equal([(2u, 5u), (9u, 9u)], set.Resolve(9).ToList());
    }

    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("\"a b\"", "a b")]
    [InlineData("\"q\\\"uote\\\\\"", "q\"uote\\")]
    [InlineData("{3}\r\nabc", "abc")]
    [InlineData("{3+}\r\nabc", "abc")]
    [InlineData("{0}\r\n", "")]
    [InlineData("x]y", "x]y")]
    public void Astrings_parse(string text, string expected)
    {
        var reader = Reader(text);
        Assert.True(ImapParser.TryParseAString(ref reader, out var value));
        Assert.Equal(expected, value);
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("\"unterminated")]
    [InlineData("\"bad\\escape\"")]
    [InlineData("\"cr\rinside\"")]
    [InlineData("{5}\r\nabc")]
    [InlineData("{3}abc")]
    [InlineData("{3}\r\na\0c")]
    [InlineData("(paren")]
    [InlineData("")]
    public void Hostile_astrings_are_refused(string text)
    {
        var reader = Reader(text);
        Assert.False(ImapParser.TryParseAString(ref reader, out _));
    }

    [Theory]
    [InlineData("FLAGS", "Flags")]
    [InlineData("(FLAGS UID)", "Flags,Uid")]
    [InlineData("ALL", "Flags,InternalDate,Rfc822Size,Envelope")]
    [InlineData("FAST", "Flags,InternalDate,Rfc822Size")]
    [InlineData("FULL", "Flags,InternalDate,Rfc822Size,Envelope,Body")]
    [InlineData("(BODY BODYSTRUCTURE RFC822 RFC822.HEADER RFC822.TEXT RFC822.SIZE)", "Body,BodyStructure,Rfc822,Rfc822Header,Rfc822Text,Rfc822Size")]
    [InlineData("body[]", "BodySection")]
    public void Fetch_attributes_parse(string text, string kinds)
    {
        var reader = Reader(text);
        Assert.True(ImapParser.TryParseFetchAttributes(ref reader, out var items));
        Assert.True(reader.End);
        Assert.Equal(kinds, string.Join(",", items.Select(i => i.Kind)));
    }

    [Theory]
    [InlineData("BODY[]", "", false, null, null)]
    [InlineData("BODY.PEEK[HEADER]", "HEADER", true, null, null)]
    [InlineData("BODY[TEXT]<0.100>", "TEXT", false, 0u, 100u)]
    [InlineData("BODY[1.2.MIME]", "1.2.MIME", false, null, null)]
    [InlineData("BODY[2]", "2", false, null, null)]
    [InlineData("BODY[3.HEADER]", "3.HEADER", false, null, null)]
    [InlineData("BODY.PEEK[HEADER.FIELDS (From To)]", "HEADER.FIELDS (FROM TO)", true, null, null)]
    [InlineData("BODY[HEADER.FIELDS.NOT (Subject)]<5.6>", "HEADER.FIELDS.NOT (SUBJECT)", false, 5u, 6u)]
    public void Body_sections_parse(string text, string section, bool peek, uint? offset, uint? length)
    {
        var reader = Reader(text);
        Assert.True(ImapParser.TryParseFetchAtt(ref reader, out var item));
        Assert.True(reader.End);
        Assert.Equal(FetchItemKind.BodySection, item.Kind);
        Assert.Equal(section, item.Section!.ToString());
        Assert.Equal(peek, item.Peek);
        Assert.Equal(offset, item.PartialOffset);
        Assert.Equal(length, item.PartialLength);
    }

    [Theory]
    [InlineData("BODY[")]
    [InlineData("BODY[MIME]")]
    [InlineData("BODY[0]")]
    [InlineData("BODY[1.]")]
    [InlineData("BODY[HEADER.FIELDS]")]
    [InlineData("BODY[HEADER.FIELDS ()]")]
    [InlineData("BODY[TEXT]<1>")]
    [InlineData("BODY[TEXT]<1.0>")]
    [InlineData("BODY.PEEK")]
    [InlineData("ENVELOPES")]
    [InlineData("(FLAGS")]
    [InlineData("(FLAGS))")]
    public void Hostile_fetch_attributes_are_refused(string text)
    {
        var reader = Reader(text);
        Assert.False(ImapParser.TryParseFetchAttributes(ref reader, out _) && reader.End);
    }

    [Theory]
    [InlineData("ALL", "All")]
    [InlineData("UNSEEN", "Unseen")]
    [InlineData("NOT SEEN", "Not(Seen)")]
    [InlineData("OR SEEN FLAGGED", "Or(Seen,Flagged)")]
    [InlineData("(SEEN FLAGGED) DELETED", "And(And(Seen,Flagged),Deleted)")]
    [InlineData("FROM alice SUBJECT \"quarterly report\"", "And(From:alice,Subject:quarterly report)")]
    [InlineData("HEADER X-Spam yes", "Header:yes")]
    [InlineData("SINCE 1-Feb-2024 BEFORE \"15-Mar-2024\"", "And(Since@2024-02-01,Before@2024-03-15)")]
    [InlineData("LARGER 1000 SMALLER 5000", "And(Larger#1000,Smaller#5000)")]
    [InlineData("UID 1:5,7", "Uid=1:5,7")]
    [InlineData("2:4", "SequenceSet=2:4")]
    [InlineData("KEYWORD $Work", "Keyword:$Work")]
    [InlineData("BODY {5}\r\nhello", "Body:hello")]
    [InlineData("SENTON 29-Feb-2024", "SentOn@2024-02-29")]
    [InlineData("NEW OLD RECENT ANSWERED UNANSWERED DRAFT UNDRAFT DELETED UNDELETED UNFLAGGED TEXT x TO y CC z BCC w SENTBEFORE 1-Jan-2000 SENTSINCE 1-Jan-2000 ON 1-Jan-2000 UNKEYWORD k",
        "And(New,Old,Recent,Answered,Unanswered,Draft,Undraft,Deleted,Undeleted,Unflagged,Text:x,To:y,Cc:z,Bcc:w,SentBefore@2000-01-01,SentSince@2000-01-01,On@2000-01-01,Unkeyword:k)")]
    public void Search_programs_parse(string text, string expected)
    {
        var reader = Reader(text);
        Assert.True(ImapParser.TryParseSearchProgram(ref reader, 16, out _, out var program));
        Assert.Equal(expected, Describe(program));
    }

    [Theory]
    [InlineData("(SEEN")]
    [InlineData("SEEN)")]
    [InlineData("((SEEN)")]
    [InlineData("OR SEEN")]
    [InlineData("NOT")]
    [InlineData("SINCE 30-Feb-2024")]
    [InlineData("SINCE 1-Foo-2024")]
    [InlineData("LARGER -1")]
    [InlineData("LARGER 99999999999")]
    [InlineData("UID 0")]
    [InlineData("BOGUS")]
    [InlineData("FROM")]
    [InlineData("")]
    public void Hostile_search_programs_are_refused(string text)
    {
        var reader = Reader(text);
        Assert.False(ImapParser.TryParseSearchProgram(ref reader, 16, out _, out _));
    }

    [Theory]
    [InlineData(15, true)]
    [InlineData(16, false)]
    [InlineData(10_000, false)]
    public void Search_nesting_is_bounded(int depth, bool accepted)
    {
        var reader = Reader(new string('(', depth) + "SEEN" + new string(')', depth));
        Assert.Equal(accepted, ImapParser.TryParseSearchProgram(ref reader, 16, out _, out _));

        var nots = Reader(string.Concat(Enumerable.Repeat("NOT ", depth)) + "SEEN");
        Assert.Equal(accepted, ImapParser.TryParseSearchProgram(ref nots, 16, out _, out _));
    }

    [Fact]
    public void Search_charset_is_returned()
    {
        var reader = Reader("CHARSET UTF-8 SUBJECT \"caf\u00e9\"");
        Assert.True(ImapParser.TryParseSearchProgram(ref reader, 16, out var charset, out var program));
        Assert.Equal("UTF-8", charset);
        Assert.Equal("Subject:caf\u00e9", Describe(program));
    }

    [Theory]
    [InlineData("+FLAGS (\\Seen)", FlagOperation.Add, false, "\\Seen")]
    [InlineData("-FLAGS.SILENT (\\Deleted $Work)", FlagOperation.Remove, true, "\\Deleted,$Work")]
    [InlineData("FLAGS \\Seen \\Flagged", FlagOperation.Replace, false, "\\Seen,\\Flagged")]
    [InlineData("flags ()", FlagOperation.Replace, false, "")]
    public void Store_actions_parse(string text, FlagOperation operation, bool silent, string flags)
    {
        var reader = Reader(text);
        Assert.True(ImapParser.TryParseStoreAction(ref reader, out var action));
        Assert.True(reader.End);
        Assert.Equal(operation, action.Operation);
        Assert.Equal(silent, action.Silent);
        Assert.Equal(flags, string.Join(",", action.Flags));
    }

    [Theory]
    [InlineData("*FLAGS (\\Seen)")]
    [InlineData("+FLAGS.LOUD (\\Seen)")]
    [InlineData("+FLAGS (\\Seen")]
    [InlineData("+FLAGS")]
    public void Hostile_store_actions_are_refused(string text)
    {
        var reader = Reader(text);
        Assert.False(ImapParser.TryParseStoreAction(ref reader, out _) && reader.End);
    }

    [Theory]
    [InlineData("\"17-Jul-1996 02:44:25 -0700\"", "1996-07-17T02:44:25-07:00")]
    [InlineData("\" 7-Jul-1996 02:44:25 +0200\"", "1996-07-07T02:44:25+02:00")]
    public void Date_times_parse(string text, string expected)
    {
        var reader = Reader(text);
        Assert.True(ImapParser.TryParseDateTime(ref reader, out var value));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("\"32-Jul-1996 02:44:25 -0700\"")]
    [InlineData("\"17-Jul-1996 25:44:25 -0700\"")]
    [InlineData("\"17-Jul-1996 02:44:25 -9900\"")]
    [InlineData("17-Jul-1996")]
    public void Bad_date_times_are_refused(string text)
    {
        var reader = Reader(text);
        Assert.False(ImapParser.TryParseDateTime(ref reader, out _));
    }

    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("&-", "&")]
    [InlineData("Entw&APw-rfe", "Entw\u00fcrfe")]
    [InlineData("&ZeVnLIqe-", "\u65e5\u672c\u8a9e")]
    [InlineData("&2D3eAA-", "\ud83d\ude00")]
    [InlineData("a&-b/c", "a&b/c")]
    public void Modified_utf7_round_trips(string wire, string name)
    {
        Assert.True(ModifiedUtf7.TryDecode(wire, out var decoded));
        Assert.Equal(name, decoded);
        Assert.Equal(wire, ModifiedUtf7.Encode(name));
    }

    [Theory]
    [InlineData("&")]
    [InlineData("&AGE-")]
    [InlineData("&APw")]
    [InlineData("&AP*-")]
    [InlineData("&APx-")]
    [InlineData("&2D0-")]
    [InlineData("&APw-&APw-")]
    [InlineData("caf\u00e9")]
    [InlineData("a\u0000b")]
    public void Bad_modified_utf7_is_refused(string wire)
    {
        Assert.False(ModifiedUtf7.TryDecode(wire, out _));
    }

    [Theory]
    [InlineData("a/../b")]
    [InlineData("..")]
    [InlineData("/leading")]
    [InlineData("trailing/")]
    [InlineData("a//b")]
    [InlineData("wild%")]
    [InlineData("wild*")]
    [InlineData("nul\u0000")]
    public void Hostile_mailbox_names_are_refused_after_decoding(string name)
    {
        var reader = Reader("\"" + name + "\"");
        var parsed = ImapParser.TryParseMailbox(ref reader, out var decoded);
        Assert.False(parsed && Commands.Arguments.TryNormalize(decoded, out _, out _));
    }

    [Fact]
    public void Tags_stop_at_plus_and_specials()
    {
        var reader = Reader("a1+ NOOP");
        Assert.True(ImapParser.TryParseTag(ref reader, out var tag));
        Assert.Equal("a1", tag);

        var star = Reader("* NOOP");
        Assert.False(ImapParser.TryParseTag(ref star, out _));
    }

    private static string Describe(SearchKey key) => key.Kind switch
    {
        SearchKeyKind.And or SearchKeyKind.Or or SearchKeyKind.Not => $"{key.Kind}({string.Join(",", key.Children!.Select(Describe))})",
        SearchKeyKind.Uid or SearchKeyKind.SequenceSet => $"{key.Kind}={key.Set}",
        SearchKeyKind.Larger or SearchKeyKind.Smaller => $"{key.Kind}#{key.Size}",
        SearchKeyKind.Before or SearchKeyKind.On or SearchKeyKind.Since or SearchKeyKind.SentBefore or SearchKeyKind.SentOn or SearchKeyKind.SentSince
            => $"{key.Kind}@{key.Date:yyyy-MM-dd}",
        _ => key.Text is null ? key.Kind.ToString() : $"{key.Kind}:{key.Text}",
    };
}
