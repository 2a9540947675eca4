using System.Text;
using Postroom.Mailbox;
using Postroom.Testing;

namespace Postroom.Imap.Tests;

/// <summary>Transcripts of whole sessions against the real store on Garnet.</summary>
public sealed class ImapSessionTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>, IDisposable
{
    private readonly ImapTestServer _server = new(garnet);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Greeting_capability_noop_logout()
    {
        var session = _server.Connect();
        await session.PlayAsync("""
            S: * OK [CAPABILITY IMAP4rev1 * AUTH=PLAIN] imap.test IMAP4rev1 ready
            C: a CAPABILITY
            S: * CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE QUOTA AUTH=PLAIN
            S: a OK Completed
            C: b NOOP
            S: b OK Completed
            C: c SELECT INBOX
            S: c BAD Command not valid in this state
            C: d FROB
            S: d BAD Unknown command
            C: e LOGOUT
            S: * BYE Logging out
            S: e OK Completed
            CLOSED
            """);
    }

    [Fact]
    public async Task Login_with_wrong_password_fails_and_right_one_succeeds()
    {
        var session = _server.Connect();
        await session.PlayAsync("""
            S: * OK *
            C: a LOGIN jane@example.com wrong
            S: a NO [AUTHENTICATIONFAILED] Authentication failed
            C: b LOGIN "jane@example.com" {13}
            S: + Ready for literal data
            C: jane-password
            S: b OK [CAPABILITY IMAP4rev1 *] Logged in
            C: c LOGIN jane@example.com jane-password
            S: c BAD Command not valid in this state
            """);
        Assert.Equal(ImapTestServer.Jane, session.Session.Info.User);
    }

    [Fact]
    public async Task Authenticate_plain_with_initial_response_and_continuation()
    {
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0jane@example.com\0jane-password"));
        var session = _server.Connect();
        await session.PlayAsync($"""
            S: * OK *
            C: a AUTHENTICATE PLAIN
            S: + 
            C: *
            S: a BAD Authentication cancelled
            C: b AUTHENTICATE PLAIN {credentials}
            S: b OK [CAPABILITY *] Logged in
            """);
    }

    [Fact]
    public async Task Login_before_tls_is_refused_and_logindisabled_advertised()
    {
        var session = _server.Connect(_server.Options with { AllowInsecureAuth = false, StartTlsAvailable = true });
        await session.PlayAsync("""
            S: * OK [CAPABILITY * STARTTLS LOGINDISABLED] imap.test IMAP4rev1 ready
            C: a LOGIN jane@example.com jane-password
            S: a NO [PRIVACYREQUIRED] Use STARTTLS first
            C: b AUTHENTICATE PLAIN AGphbmVAZXhhbXBsZS5jb20AamFuZS1wYXNzd29yZA==
            S: b NO [PRIVACYREQUIRED] Use STARTTLS first
            """);
        Assert.Null(session.Session.Info.User);
    }

    [Fact]
    public async Task Starttls_discards_pipelined_plaintext_then_login_works()
    {
        var session = _server.Connect(_server.Options with { AllowInsecureAuth = false, StartTlsAvailable = true });
        await session.PlayAsync("""
            S: * OK *
            C> a STARTTLS\r\nb LOGIN jane@example.com jane-password\r\n
            S: a OK Begin TLS negotiation now
            TLS
            C: c CAPABILITY
            S: * CAPABILITY IMAP4rev1 * AUTH=PLAIN
            S: c OK Completed
            C: d NOOP
            S: d OK Completed
            """);

        // The injected LOGIN never ran: the session is not authenticated.
        Assert.Null(session.Session.Info.User);
        await session.PlayAsync("""
            C: e LOGIN jane@example.com jane-password
            S: e OK [CAPABILITY *] Logged in
            """);
        Assert.Equal(ImapTestServer.Jane, session.Session.Info.User);
    }

    [Fact]
    public async Task Select_reports_mailbox_state()
    {
        await _server.DeliverAsync(ImapTestServer.Message("one"), flags: [MessageFlags.Seen]);
        await _server.DeliverAsync(ImapTestServer.Message("two"), flags: ["$Work"]);
        var session = await _server.LoginAsync();
        await session.PlayAsync("""
            C: s SELECT inbox
            S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Work)
            S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Work \*)] Flags permitted
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 2] First unseen
            S: * OK [UIDVALIDITY *] UIDs valid
            S: * OK [UIDNEXT 3] Predicted next UID
            S: * OK [HIGHESTMODSEQ *] Highest
            S: s OK [READ-WRITE] SELECT completed
            C: e EXAMINE INBOX
            S: * FLAGS *
            S: * OK [PERMANENTFLAGS ()] Read-only mailbox
            S: * 2 EXISTS
            S: * 0 RECENT
            S: * OK [UNSEEN 2] First unseen
            S: * OK [UIDVALIDITY *] UIDs valid
            S: * OK [UIDNEXT 3] Predicted next UID
            S: * OK [HIGHESTMODSEQ *] Highest
            S: e OK [READ-ONLY] EXAMINE completed
            C: f STORE 1 +FLAGS (\Flagged)
            S: f NO [READ-ONLY] Mailbox is read-only
            C: g SELECT Nowhere
            S: g NO [NONEXISTENT] No such mailbox
            C: h FETCH 1 FLAGS
            S: h BAD Command not valid in this state
            """);
    }

    [Fact]
    public async Task Fetch_forms()
    {
        var text = ImapTestServer.Message("Quarterly", "Line one\r\nLine two\r\n");
        await _server.DeliverAsync(text, prefix: "Return-Path: <alice@example.org>\r\n");
        var session = await _server.LoginAsync();
        await session.PlayAsync("""
            C: s SELECT INBOX
            S: * FLAGS *
            S: * OK [PERMANENTFLAGS *
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UNSEEN 1] First unseen
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] *
            S: * OK [HIGHESTMODSEQ *
            S: s OK [READ-WRITE] SELECT completed
            C: f1 FETCH 1 (FLAGS UID RFC822.SIZE INTERNALDATE)
            """);
        var prefixLength = "Return-Path: <alice@example.org>\r\n".Length;
        var size = Encoding.UTF8.GetByteCount(text) + prefixLength;
        await session.PlayAsync($$"""
            S: * 1 FETCH (FLAGS (\Recent) UID 1 RFC822.SIZE {{size}} INTERNALDATE "02-Jun-2025 10:00:05 +0000")
            S: f1 OK Completed
            C: f2 FETCH 1 (ENVELOPE BODYSTRUCTURE)
            S: * 1 FETCH (ENVELOPE ("Mon, 2 Jun 2025 10:00:00 +0000" "Quarterly" (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) (("Jane" NIL "jane" "example.com")) NIL NIL NIL "<*>") BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 20 2 NIL NIL NIL NIL))
            S: f2 OK Completed
            C: f3 FETCH 1 (BODY.PEEK[TEXT])
            S: * 1 FETCH (BODY[TEXT] {20}
            S: Line one
            S: Line two
            S: )
            S: f3 OK Completed
            C: f4 FETCH 1 BODY.PEEK[HEADER.FIELDS (Subject return-path)]
            S: * 1 FETCH (BODY[HEADER.FIELDS (SUBJECT RETURN-PATH)] {56}
            S: Return-Path: <alice@example.org>
            S: Subject: Quarterly
            S: 
            S: )
            S: f4 OK Completed
            C: f5 FETCH 1 (BODY.PEEK[TEXT]<5.3>)
            S: * 1 FETCH (BODY[TEXT]<5> {3}
            """);
        Assert.Equal("one", await session.ReadBytesAsync(3));
        await session.PlayAsync("""
            S: )
            S: f5 OK Completed
            C: f6 FETCH 1 FLAGS
            S: * 1 FETCH (FLAGS (\Recent))
            S: f6 OK Completed
            C: f7 FETCH 1 BODY[]
            """);
        var header = await session.ReadLineAsync();
        Assert.Equal($"* 1 FETCH (BODY[] {{{size}}}", header);
        var body = await session.ReadBytesAsync(size);
        Assert.StartsWith("Return-Path: <alice@example.org>\r\nFrom: Alice", body, StringComparison.Ordinal);
        Assert.EndsWith("Line two\r\n", body, StringComparison.Ordinal);
        await session.PlayAsync("""
            S:  FLAGS (\Seen \Recent))
            S: f7 OK Completed
            C: f8 UID FETCH 1:* (FLAGS)
            S: * 1 FETCH (UID 1 FLAGS (\Seen \Recent))
            S: f8 OK Completed
            C: f9 FETCH 2 FLAGS
            S: f9 BAD Invalid sequence set
            C: f10 FETCH 1 (BODY[9])
            S: * 1 FETCH (BODY[9] "" FLAGS (\Seen \Recent))
            S: f10 OK Completed
            C: f11 FETCH 1:2,a FLAGS
            S: f11 BAD Syntax error in arguments
            C: f12 FETCH 1 (FLAGS
            S: f12 BAD Syntax error in arguments
            """);
    }

    [Fact]
    public async Task Multipart_sections_use_stored_offsets()
    {
        var text = "From: a@example.org\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
            + "--XX\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n--XX\r\nContent-Type: text/html\r\n\r\n<b>second</b>\r\n--XX--\r\n";
        await _server.DeliverAsync(text);
        var session = await _server.LoginAsync();
        await SelectAsync(session, 1);
        await session.PlayAsync("""
            C: a FETCH 1 (BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[2])
            S: * 1 FETCH (BODY[1] {10}
            S: first part BODY[2.MIME] {27}
            S: Content-Type: text/html
            S: 
            S:  BODY[2] {13}
            S: <b>second</b>)
            S: a OK Completed
            C: b FETCH 1 BODY
            S: * 1 FETCH (BODY (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1)("TEXT" "HTML" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 13 1) "MIXED"))
            S: b OK Completed
            """);
    }

    [Fact]
    public async Task Search_store_copy_move_expunge()
    {
        await _server.DeliverAsync(ImapTestServer.Message("invoice march", "Please pay.\r\n"));
        await _server.DeliverAsync(ImapTestServer.Message("hello", "See the attached invoice.\r\n", from: "Bob <bob@example.net>"));
        await _server.DeliverAsync(ImapTestServer.Message("lunch"), flags: [MessageFlags.Seen]);
        var session = await _server.LoginAsync();
        await SelectAsync(session, 3);
        await session.PlayAsync("""
            C: s1 SEARCH SUBJECT invoice
            S: * SEARCH 1
            S: s1 OK Completed
            C: s2 SEARCH BODY invoice
            S: * SEARCH 2
            S: s2 OK Completed
            C: s3 SEARCH OR FROM bob UNSEEN NOT SEEN
            S: * SEARCH 1 2
            S: s3 OK Completed
            C: s4 UID SEARCH SEEN
            S: * SEARCH 3
            S: s4 OK Completed
            C: s5 SEARCH CHARSET KOI8-R ALL
            S: s5 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset
            C: s6 SEARCH (SEEN
            S: s6 BAD Syntax error in arguments
            C: s7 SEARCH SINCE 1-Jun-2025 BEFORE 3-Jun-2025 LARGER 10 HEADER Message-ID example.org
            S: * SEARCH 1 2 3
            S: s7 OK Completed
            C: s8 SEARCH SENTON 2-Jun-2025 2:3
            S: * SEARCH 2 3
            S: s8 OK Completed
            C: t1 STORE 1:2 +FLAGS (\Flagged)
            S: * 1 FETCH (FLAGS (\Flagged \Recent))
            S: * 2 FETCH (FLAGS (\Flagged \Recent))
            S: t1 OK Completed
            C: t2 UID STORE 2 -FLAGS.SILENT (\Flagged)
            S: t2 OK Completed
            C: t3 STORE 1 FLAGS (\Bogus)
            S: t3 BAD Invalid flag
            C: c1 COPY 1:2 Archive
            S: c1 OK [COPYUID * 1:2 1:2] COPY completed
            C: c2 COPY 1 Nowhere
            S: c2 NO [TRYCREATE] No such mailbox
            C: m1 UID MOVE 3 Archive
            S: * OK [COPYUID * 3 3] Moved
            S: * 3 EXPUNGE
            S: m1 OK MOVE completed
            C: x1 STORE 1 +FLAGS.SILENT (\Deleted)
            S: x1 OK Completed
            C: x2 EXPUNGE
            S: * 1 EXPUNGE
            S: x2 OK Completed
            C: x3 FETCH 1:* (UID)
            S: * 1 FETCH (UID 2)
            S: x3 OK Completed
            C: st STATUS Archive (MESSAGES UIDNEXT UNSEEN)
            S: st OK Completed
            """.Replace("S: st OK", "S: * STATUS Archive (MESSAGES 3 UIDNEXT 4 UNSEEN 2)\nS: st OK", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Append_stores_the_body_and_answers_appenduid()
    {
        var session = await _server.LoginAsync();
        var message = ImapTestServer.Message("appended");
        var length = Encoding.UTF8.GetByteCount(message);
        await session.PlayAsync($$"""
            C: a APPEND INBOX (\Seen) "02-Jun-2025 12:00:00 +0200" {{{length}}}
            S: + Ready for literal data
            """);
        await session.SendAsync(message + "\r\n");
        await session.PlayAsync("""
            S: a OK [APPENDUID * 1] APPEND completed
            C: b APPEND Nowhere {5}
            S: b NO [TRYCREATE] No such mailbox
            C: c APPEND INBOX {3+}
            C: abc
            S: c OK [APPENDUID * 2] APPEND completed
            C: d APPEND INBOX {999999999}
            S: d NO [TOOBIG] Message too large
            """);
        var stored = await _server.Store.ListMessagesAsync(ImapTestServer.Jane, "INBOX", UidSet.All, true, CancellationToken.None).ToListAsync();
        Assert.Equal(2, stored.Count);
        Assert.Equal([MessageFlags.Seen], stored[0].Flags);
        Assert.Equal(length, stored[0].Details!.Size);
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero), stored[0].Details!.InternalDate);
        Assert.Equal("appended", stored[0].Details!.Metadata.Envelope.Subject);
        await using var blob = await _server.Blobs.OpenReadAsync(stored[0].Details!.BlobKey, CancellationToken.None);
        Assert.Equal(message, await new StreamReader(blob).ReadToEndAsync());
    }

    [Fact]
    public async Task Mailbox_management_list_and_status()
    {
        var session = await _server.LoginAsync();
        await session.PlayAsync("""
            C: c1 CREATE Projects/2025
            S: c1 OK Completed
            C: c2 CREATE Projects
            S: c2 NO [ALREADYEXISTS] Mailbox already exists
            C: c3 CREATE &ZeVnLIqe-
            S: c3 OK Completed
            C: c4 CREATE "a/../b"
            S: c4 NO [CANNOT] Invalid mailbox name
            C: c5 CREATE "bad&AGE-"
            S: c5 BAD Syntax error in arguments
            C: c6 CREATE Sent
            S: c6 OK Completed
            C: l1 LIST "" %
            S: * LIST (\HasNoChildren) "/" INBOX
            S: * LIST (\HasChildren) "/" Projects
            S: * LIST (\HasNoChildren \Sent) "/" Sent
            S: * LIST (\HasNoChildren) "/" &ZeVnLIqe-
            S: l1 OK Completed
            C: l2 LIST Projects/ *
            S: * LIST (\HasNoChildren) "/" Projects/2025
            S: l2 OK Completed
            C: l3 LIST "" ""
            S: * LIST (\Noselect) "/" ""
            S: l3 OK Completed
            C: r1 RENAME Projects Work
            S: r1 OK Completed
            C: l4 LIST "" Work*
            S: * LIST (\HasChildren) "/" Work
            S: * LIST (\HasNoChildren) "/" Work/2025
            S: l4 OK Completed
            C: u1 SUBSCRIBE Work
            S: u1 OK Completed
            C: l5 LSUB "" *
            S: * LSUB () "/" Work
            S: l5 OK Completed
            C: u2 UNSUBSCRIBE Work
            S: u2 OK Completed
            C: d1 DELETE Work/2025
            S: d1 OK Completed
            C: d2 DELETE INBOX
            S: d2 NO [CANNOT] INBOX cannot be deleted
            C: d3 DELETE Work/2025
            S: d3 NO [NONEXISTENT] No such mailbox
            C: s1 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)
            S: * STATUS INBOX (MESSAGES 0 UIDNEXT 1 UIDVALIDITY * UNSEEN 0 RECENT 0)
            S: s1 OK Completed
            C: n1 NAMESPACE
            S: * NAMESPACE (("" "/")) NIL NIL
            S: n1 OK Completed
            C: q1 GETQUOTAROOT INBOX
            S: * QUOTAROOT INBOX ""
            S: * QUOTA "" (STORAGE 0 10240)
            S: q1 OK Completed
            C: i1 ID ("name" "test")
            S: * ID ("name" "Postroom")
            S: i1 OK Completed
            C: e1 ENABLE CONDSTORE
            S: * ENABLED
            S: e1 OK Completed
            """);
    }

    [Fact]
    public async Task Idle_sees_an_append_made_through_another_replica()
    {
        await _server.DeliverAsync(ImapTestServer.Message("first"));
        var session = await _server.LoginAsync();
        await SelectAsync(session, 1);
        await session.PlayAsync("""
            C: i IDLE
            S: + idling
            """);
        await _server.DeliverAsync(ImapTestServer.Message("second"), store: _server.OtherReplica);
        await session.PlayAsync("""
            S: * 2 EXISTS
            """);

        // A flag change and an expunge from the other replica arrive too.
        await _server.OtherReplica.StoreFlagsAsync(ImapTestServer.Jane, "INBOX", UidSet.Of([1]), FlagOperation.Add, [MessageFlags.Deleted], null, CancellationToken.None);
        await session.PlayAsync("""
            S: * 1 FETCH (UID 1 FLAGS (\Deleted \Recent))
            """);
        await _server.OtherReplica.ExpungeAsync(ImapTestServer.Jane, "INBOX", null, CancellationToken.None);
        await session.PlayAsync("""
            S: * 1 EXPUNGE
            C: DONE
            S: i OK IDLE terminated
            C: f FETCH 1:* UID
            S: * 1 FETCH (UID 2)
            S: f OK Completed
            """);
    }

    [Fact]
    public async Task Expunge_from_elsewhere_waits_while_fetch_runs_and_comes_with_noop()
    {
        await _server.DeliverAsync(ImapTestServer.Message("first"), flags: [MessageFlags.Deleted]);
        await _server.DeliverAsync(ImapTestServer.Message("second"));
        var session = await _server.LoginAsync();
        await SelectAsync(session, 2);
        await _server.OtherReplica.ExpungeAsync(ImapTestServer.Jane, "INBOX", null, CancellationToken.None);
        await Task.Delay(300);
        await session.PlayAsync("""
            C: f FETCH 2 (UID)
            S: * 2 FETCH (UID 2)
            S: f OK Completed
            C: n NOOP
            S: * 1 EXPUNGE
            S: n OK Completed
            C: g FETCH 1 (UID)
            S: * 1 FETCH (UID 2)
            S: g OK Completed
            """);
    }

    [Fact]
    public async Task Hostile_input_gets_bad_and_the_session_stays_healthy()
    {
        var session = await _server.LoginAsync();
        await session.PlayAsync("""
            C: a1 LIST "" {99999999}
            S: a1 BAD [TOOBIG] Literal too large
            C: a2 SEARCH ((((((((((((((((((((SEEN))))))))))))))))))))
            S: a2 BAD Command not valid in this state
            C: a3 SELECT INBOX
            S: * FLAGS *
            S: * OK [PERMANENTFLAGS *
            S: * 0 EXISTS
            S: * 0 RECENT
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT *
            S: * OK [HIGHESTMODSEQ *
            S: a3 OK [READ-WRITE] SELECT completed
            C: a4 SEARCH ((((((((((((((((((((SEEN))))))))))))))))))))
            S: a4 BAD Syntax error in arguments
            C: a5 FETCH 0 FLAGS
            S: a5 BAD Syntax error in arguments
            C: a6 FETCH 1: FLAGS
            S: a6 BAD Syntax error in arguments
            C: a7 FETCH 4294967296 FLAGS
            S: a7 BAD Syntax error in arguments
            C: a8 CREATE "x\0y"
            S: a8 BAD NUL in command
            C: a9 CREATE wild%
            S: a9 BAD Syntax error in arguments
            C: b1 CREATE "wild*"
            S: b1 NO [CANNOT] Invalid mailbox name
            C: b2 SEARCH SEEN)
            S: b2 BAD Syntax error in arguments
            C: b3 SEARCH ALL
            S: * SEARCH
            S: b3 OK Completed
            """);
        await session.SendAsync("b4 NOOP " + new string('x', 9000) + "\r\nb5 NOOP\r\n");
        await session.PlayAsync("""
            S: b4 BAD [TOOBIG] Command line too long
            S: b5 OK Completed
            """);
    }

    [Fact]
    public async Task Idle_timeout_says_bye()
    {
        var session = _server.Connect(_server.Options with { PreAuthTimeout = TimeSpan.FromMilliseconds(200) });
        await session.PlayAsync("""
            S: * OK *
            S: * BYE [UNAVAILABLE] Idle timeout, closing connection
            CLOSED
            """);
    }

    [Fact]
    public async Task Shutdown_says_bye_to_a_waiting_session()
    {
        using var shutdown = new CancellationTokenSource();
        var session = _server.Connect(shutdown: shutdown.Token);
        await session.PlayAsync("S: * OK *");
        await shutdown.CancelAsync();
        await session.PlayAsync("""
            S: * BYE [UNAVAILABLE] Server shutting down
            CLOSED
            """);
    }

    [Fact]
    public async Task Fetch_of_many_messages_streams_every_one()
    {
        var bodies = new List<AppendRequest>();
        for (var i = 0; i < 1200; i++)
        {
            bodies.Add(new AppendRequest(ImapTestServer.Jane, "INBOX", "messages/shared", 10, ReadOnlyMemory<byte>.Empty, [], DateTimeOffset.UnixEpoch, null));
        }

        await _server.Blobs.PutAsync("messages/shared", new MemoryStream("Subject: x\r\n\r\nhi\r\n"u8.ToArray()), CancellationToken.None);
        await _server.Store.AppendBatchAsync(bodies, CancellationToken.None);
        var session = await _server.LoginAsync();
        await SelectAsync(session, 1200);
        await session.SendAsync("f FETCH 1:* (FLAGS)\r\n");
        var lines = await session.ReadUntilAsync("f ");
        Assert.Equal(1201, lines.Count);
        Assert.Equal("* 1200 FETCH (FLAGS (\\Recent))", lines[^2]);
        Assert.Equal("f OK Completed", lines[^1]);
    }

    private static async Task SelectAsync(TestSession session, int exists)
    {
        await session.SendAsync("s SELECT INBOX\r\n");
        var lines = await session.ReadUntilAsync("s ");
        Assert.Contains($"* {exists} EXISTS", lines);
        Assert.Equal("s OK [READ-WRITE] SELECT completed", lines[^1]);
    }
}
