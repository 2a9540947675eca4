using System.Text;
using Postroom.Mailbox.Metadata;

namespace Postroom.Mailbox.Tests;

/// <summary>
/// Golden tests of <see cref="MessageMetadataParser"/>: each message's expected envelope and body
/// structure, and every stored offset checked by slicing the raw bytes.
/// </summary>
public sealed class MessageMetadataParserTests
{
    private static string Crlf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);

    private static async Task<(MessageMetadata Metadata, byte[] Raw)> ParseAsync(string text)
    {
        var raw = Encoding.UTF8.GetBytes(text);
        var metadata = await MessageMetadataParser.ParseAsync(new MemoryStream(raw), CancellationToken.None);

        // The stored form reads back to the same tree.
        var stored = MessageMetadataParser.Serialize(metadata);
        Assert.Equal(stored, MessageMetadataParser.Serialize(MessageMetadataParser.Deserialize(stored)));
        return (metadata, raw);
    }

    private static string Header(byte[] raw, BodyPart part) => Encoding.UTF8.GetString(raw, (int)part.HeaderOffset, (int)part.HeaderLength);

    private static string Body(byte[] raw, BodyPart part) => Encoding.UTF8.GetString(raw, (int)part.BodyOffset, (int)part.Size);

    [Fact]
    public async Task Plain_text_message()
    {
        var text = Crlf("""
            Date: Tue, 24 Nov 2026 10:00:00 +0100
            From: Alice Example <alice@example.org>
            To: jane@example.com, "Bob" <bob@example.net>
            Subject: Lunch
             tomorrow?
            Message-ID: <abc@example.org>
            In-Reply-To: <prev@example.com>
            Content-Type: text/plain; charset=us-ascii; format=flowed

            Shall we meet at noon?
            Alice
            """);
        var (m, raw) = await ParseAsync(text);

        var e = m.Envelope;
        Assert.Equal("Tue, 24 Nov 2026 10:00:00 +0100", e.Date);
        Assert.Equal("Lunch tomorrow?", e.Subject);
        Assert.Equal([new EnvelopeAddress("Alice Example", null, "alice", "example.org")], e.From);
        Assert.Equal([new EnvelopeAddress(null, null, "jane", "example.com"), new EnvelopeAddress("Bob", null, "bob", "example.net")], e.To);
        Assert.Null(e.Sender);
        Assert.Null(e.Cc);
        Assert.Equal("<abc@example.org>", e.MessageId);
        Assert.Equal("<prev@example.com>", e.InReplyTo);

        var b = m.Body;
        Assert.Equal(("text", "plain"), (b.Type, b.Subtype));
        Assert.Equal([new BodyParameter("charset", "us-ascii"), new BodyParameter("format", "flowed")], b.Parameters);
        Assert.Null(b.Encoding);
        Assert.Null(b.Parts);
        Assert.Equal(0, b.HeaderOffset);
        Assert.Equal(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4, m.HeaderLength);
        Assert.EndsWith("format=flowed\r\n\r\n", Header(raw, b), StringComparison.Ordinal);
        Assert.Equal("Shall we meet at noon?\r\nAlice", Body(raw, b));
        Assert.Equal(raw.Length, b.EndOffset);
        Assert.Equal(raw.Length - m.HeaderLength, m.BodyLength);
        Assert.Equal(2, b.Lines);
    }

    [Fact]
    public async Task Multipart_alternative()
    {
        var text = Crlf("""
            From: alice@example.org
            Subject: Both
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="b1"

            This is a preamble.
            --b1
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Caf=C3=A9
            --b1
            Content-Type: text/html; charset=utf-8

            <p>Café</p>
            <p>!</p>
            --b1--
            epilogue
            """);
        var (m, raw) = await ParseAsync(text);

        var b = m.Body;
        Assert.Equal(("multipart", "alternative"), (b.Type, b.Subtype));
        Assert.Equal([new BodyParameter("boundary", "b1")], b.Parameters);
        Assert.Equal(raw.Length, b.EndOffset);
        Assert.StartsWith("This is a preamble.\r\n--b1\r\n", Body(raw, b), StringComparison.Ordinal);

        Assert.NotNull(b.Parts);
        Assert.Equal(2, b.Parts.Count);
        var plain = b.Parts[0];
        Assert.Equal(("text", "plain", "quoted-printable"), (plain.Type, plain.Subtype, plain.Encoding));
        Assert.Equal("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", Header(raw, plain));
        Assert.Equal("Caf=C3=A9", Body(raw, plain));
        Assert.Equal(9, plain.Size);
        Assert.Equal(1, plain.Lines);

        var html = b.Parts[1];
        Assert.Equal("Content-Type: text/html; charset=utf-8\r\n\r\n", Header(raw, html));
        Assert.Equal("<p>Café</p>\r\n<p>!</p>", Body(raw, html));
        Assert.Equal(Encoding.UTF8.GetByteCount("<p>Café</p>\r\n<p>!</p>"), html.Size);
        Assert.Equal(2, html.Lines);
    }

    [Fact]
    public async Task Multipart_mixed_with_an_attachment()
    {
        var text = Crlf("""
            From: alice@example.org
            To: jane@example.com
            Subject: Report
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: text/plain

            See attached.

            --outer
            Content-Type: application/pdf; name="report.pdf"
            Content-Transfer-Encoding: base64
            Content-Disposition: attachment; filename="report.pdf"; size=12
            Content-ID: <part2@example.org>
            Content-Description: The report
            Content-Language: en, de
            Content-Location: https://example.org/report.pdf

            JVBERi0xLjQK
            AAAA
            --outer--
            """);
        var (m, raw) = await ParseAsync(text);

        Assert.Equal(2, m.Body.Parts!.Count);
        var note = m.Body.Parts[0];
        Assert.Equal("See attached.\r\n", Body(raw, note));
        Assert.Equal(1, note.Lines);

        var pdf = m.Body.Parts[1];
        Assert.Equal(("application", "pdf", "base64"), (pdf.Type, pdf.Subtype, pdf.Encoding));
        Assert.Equal([new BodyParameter("name", "report.pdf")], pdf.Parameters);
        Assert.Equal("attachment", pdf.Disposition!.Type);
        Assert.Equal([new BodyParameter("filename", "report.pdf"), new BodyParameter("size", "12")], pdf.Disposition.Parameters);
        Assert.Equal("<part2@example.org>", pdf.ContentId);
        Assert.Equal("The report", pdf.Description);
        Assert.Equal(["en", "de"], pdf.Language);
        Assert.Equal("https://example.org/report.pdf", pdf.Location);
        Assert.Null(pdf.Md5);
        Assert.Equal(0, pdf.Lines);
        Assert.StartsWith("Content-Type: application/pdf", Header(raw, pdf), StringComparison.Ordinal);
        Assert.EndsWith("report.pdf\r\n\r\n", Header(raw, pdf), StringComparison.Ordinal);
        Assert.Equal("JVBERi0xLjQK\r\nAAAA", Body(raw, pdf));
    }

    [Fact]
    public async Task Nested_message_rfc822()
    {
        var text = Crlf("""
            From: alice@example.org
            Subject: Fwd: Minutes
            Content-Type: multipart/mixed; boundary=XX

            --XX
            Content-Type: text/plain

            Forwarding.
            --XX
            Content-Type: message/rfc822
            Content-Disposition: inline

            From: Bob <bob@example.net>
            To: team@example.net
            Subject: Minutes
            Content-Type: multipart/alternative; boundary=YY

            --YY
            Content-Type: text/plain

            Inner text
            --YY
            Content-Type: text/html

            <b>Inner</b>
            --YY--
            --XX--
            """);
        var (m, raw) = await ParseAsync(text);

        var rfc822 = m.Body.Parts![1];
        Assert.Equal(("message", "rfc822"), (rfc822.Type, rfc822.Subtype));
        Assert.Equal("Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n", Header(raw, rfc822));
        Assert.StartsWith("From: Bob <bob@example.net>\r\n", Body(raw, rfc822), StringComparison.Ordinal);
        Assert.EndsWith("<b>Inner</b>\r\n--YY--", Body(raw, rfc822), StringComparison.Ordinal);
        Assert.Equal(Body(raw, rfc822).Split("\r\n").Length, rfc822.Lines);

        var inner = rfc822.MessageEnvelope!;
        Assert.Equal("Minutes", inner.Subject);
        Assert.Equal([new EnvelopeAddress("Bob", null, "bob", "example.net")], inner.From);

        var innerRoot = rfc822.MessageBody!;
        Assert.Equal(rfc822.BodyOffset, innerRoot.HeaderOffset);
        Assert.EndsWith("boundary=YY\r\n\r\n", Header(raw, innerRoot), StringComparison.Ordinal);
        Assert.Equal(("multipart", "alternative"), (innerRoot.Type, innerRoot.Subtype));
        Assert.Equal("Inner text", Body(raw, innerRoot.Parts![0]));
        Assert.Equal("<b>Inner</b>", Body(raw, innerRoot.Parts[1]));
        Assert.Equal("Content-Type: text/html\r\n\r\n", Header(raw, innerRoot.Parts[1]));
    }

    [Fact]
    public async Task Non_ascii_subject_and_addresses_keep_the_encoded_words_and_decode_names()
    {
        var text = Crlf("""
            From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>
            To: Friends: =?ISO-8859-1?Q?Andr=E9?= <andre@example.fr>, eve@example.org;, carol@example.com
            Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Grüße!
            """);
        var (m, raw) = await ParseAsync(text);

        Assert.Equal("=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=", m.Envelope.Subject);
        Assert.Equal([new EnvelopeAddress("Jürgen Müller", null, "juergen", "example.de")], m.Envelope.From);
        Assert.Equal(
            [
                new EnvelopeAddress(null, null, "Friends", null),
                new EnvelopeAddress("André", null, "andre", "example.fr"),
                new EnvelopeAddress(null, null, "eve", "example.org"),
                new EnvelopeAddress(null, null, null, null),
                new EnvelopeAddress(null, null, "carol", "example.com"),
            ],
            m.Envelope.To);
        Assert.Equal("8bit", m.Body.Encoding);
        Assert.Equal("Grüße!", Body(raw, m.Body));
        Assert.Equal(Encoding.UTF8.GetByteCount("Grüße!"), m.Body.Size);
    }

    [Fact]
    public async Task Malformed_messages_still_parse_with_offsets_inside_the_message()
    {
        // No blank line: everything is header, the body is empty.
        var (noBlank, raw1) = await ParseAsync(Crlf("From: alice@example.org\nSubject: headers only\n"));
        Assert.Equal("headers only", noBlank.Envelope.Subject);
        Assert.Equal(raw1.Length, noBlank.Body.EndOffset);
        Assert.Equal(0, noBlank.BodyLength);
        Assert.Equal(raw1.Length, noBlank.HeaderLength);

        // A boundary that never appears: one multipart with no parts, its body the rest.
        var text = Crlf("""
            From: alice@example.org
            Content-Type: multipart/mixed; boundary=missing

            --other
            Content-Type: text/plain

            lost
            """);
        var (bad, raw2) = await ParseAsync(text);
        Assert.Equal(("multipart", "mixed"), (bad.Body.Type, bad.Body.Subtype));
        Assert.Empty(bad.Body.Parts!);
        Assert.Equal(raw2.Length, bad.Body.EndOffset);
        Assert.StartsWith("--other\r\n", Body(raw2, bad.Body), StringComparison.Ordinal);

        // Not even a header: a bare line of text.
        var (garbage, raw3) = await ParseAsync("just some text without any header\r\n");
        Assert.Equal(("text", "plain"), (garbage.Body.Type, garbage.Body.Subtype));
        Assert.Equal(0, garbage.HeaderLength);
        Assert.Equal("just some text without any header\r\n", Body(raw3, garbage.Body));
        Assert.Equal(1, garbage.Body.Lines);
        Assert.Null(garbage.Envelope.Subject);
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_gives_the_same_metadata()
    {
        var raw = Encoding.UTF8.GetBytes(Crlf("From: a@example.org\nSubject: x\nContent-Type: multipart/mixed; boundary=q\n\n--q\n\none\n--q\n\ntwo\n--q--\n"));
        var seekable = await MessageMetadataParser.ParseAsync(new MemoryStream(raw), CancellationToken.None);
        var forwardOnly = await MessageMetadataParser.ParseAsync(new ForwardOnlyStream(raw), CancellationToken.None);
        Assert.Equal(MessageMetadataParser.Serialize(seekable), MessageMetadataParser.Serialize(forwardOnly));
        Assert.Equal("two", Encoding.ASCII.GetString(raw, (int)forwardOnly.Body.Parts![1].BodyOffset, (int)forwardOnly.Body.Parts[1].Size));
    }

    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class UidSetTests
{
    [Fact]
    public void Ranges_are_sorted_and_merged()
    {
        var set = UidSet.FromRanges([(20, 30), (5, 1), (2, 8), (9, 9), (40, uint.MaxValue)]);
        Assert.Equal([(1u, 9u), (20u, 30u), (40u, uint.MaxValue)], set.Ranges);
        Assert.True(set.Contains(9));
        Assert.False(set.Contains(10));
        Assert.Equal([(3u, 5u), (7u, 7u)], UidSet.Of([5, 3, 4, 7, 4]).Ranges);
    }

    [Theory]
    [InlineData("", "INBOX")]
    [InlineData("inbox", "INBOX")]
    [InlineData("InBox/Sub", "INBOX/Sub")]
    [InlineData("Inboxes", "Inboxes")]
    [InlineData("Sent", "Sent")]
    public void Names_are_normalized(string name, string expected) => Assert.Equal(expected, MailboxNames.Normalize(name));

    [Theory]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a/../b")]
    [InlineData("a/./b")]
    [InlineData("wild*")]
    [InlineData("wild%")]
    [InlineData("nul\0")]
    public void Bad_names_are_refused(string name) => Assert.Throws<ArgumentException>(() => MailboxNames.Normalize(name));

    [Fact]
    public void Flags_are_canonical_and_keywords_must_be_atoms()
    {
        Assert.Equal(["\\Seen", "\\Deleted", "$Label"], MessageFlags.Normalize(["\\SEEN", "\\deleted", "$Label", "$label", "\\Recent"]));
        Assert.Throws<ArgumentException>(() => MessageFlags.Normalize(["\\Unknown"]));
        Assert.Throws<ArgumentException>(() => MessageFlags.Normalize(["two words"]));
        Assert.Throws<ArgumentException>(() => MessageFlags.Normalize(["br]acket"]));
    }
}
