using System.Text;
using Postroom.Mailbox.Redis;
using Postroom.Storage;
using Postroom.Testing;
using StackExchange.Redis;

namespace Postroom.Mailbox.Tests;

/// <summary>
/// The behaviour of <see cref="RedisMailboxStore"/> on every Redis-protocol server. Each test
/// works under its own key prefix and blob directory, so tests share a server without meeting.
/// </summary>
public abstract class MailboxStoreContract : IDisposable
{
    private const string Jane = "jane@example.com";

    private static readonly DateTimeOffset Date = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);

    private readonly IRedisFixture _server;
    private readonly string _blobRoot = Path.Combine(Path.GetTempPath(), "postroom-mbx-tests-" + Guid.NewGuid().ToString("N"));

    protected MailboxStoreContract(IRedisFixture server)
    {
        _server = server;
        Blobs = new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = _blobRoot });
        Store = new RedisMailboxStore(server.Connection, Blobs, new RedisMailboxStoreOptions { KeyPrefix = Prefix, BatchSize = 7 });
    }

    private string Prefix { get; } = "test:" + Guid.NewGuid().ToString("N");

    private FileSystemBlobStore Blobs { get; }

    private RedisMailboxStore Store { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_blobRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        GC.SuppressFinalize(this);
    }

    private async Task<(string Key, long Size)> PutBodyAsync(string subject = "Hello", string? body = null)
    {
        var text = $"From: Alice <alice@example.org>\r\nTo: {Jane}\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@example.org>\r\n\r\n{body ?? "Hi Jane.\r\n"}";
        var key = "messages/" + Guid.NewGuid().ToString("N");
        var info = await Blobs.PutAsync(key, new MemoryStream(Encoding.ASCII.GetBytes(text)), CancellationToken.None);
        return (key, info.Length);
    }

    private static AppendRequest Request((string Key, long Size) body, string mailbox = "", string? idempotencyKey = null, string[]? flags = null, long? quota = null, string user = Jane, string prefix = "") =>
        new(user, mailbox, body.Key, body.Size, Encoding.ASCII.GetBytes(prefix), flags ?? [], Date, idempotencyKey, quota);

    private async Task<AppendResult> AppendAsync(string mailbox = "", string[]? flags = null, string user = Jane) =>
        await Store.AppendAsync(Request(await PutBodyAsync(), mailbox, flags: flags, user: user), CancellationToken.None);

    private async Task<List<MailboxMessage>> ListAsync(string mailbox = "INBOX", bool details = false, UidSet? uids = null) =>
        await Store.ListMessagesAsync(Jane, mailbox, uids ?? UidSet.All, details, CancellationToken.None).ToListAsync();

    [Fact]
    public async Task Append_then_list_and_status_roundtrip_every_field()
    {
        var body = await PutBodyAsync("Quarterly report");
        var result = await Store.AppendAsync(Request(body, flags: ["\\flagged", "$Work"], prefix: "Return-Path: <alice@example.org>\r\n"), CancellationToken.None);

        Assert.Equal(AppendStatus.Appended, result.Status);
        Assert.False(result.Duplicate);
        Assert.Equal(1u, result.Uid);
        Assert.NotEqual(0u, result.UidValidity);

        var message = Assert.Single(await ListAsync(details: true));
        Assert.Equal(1u, message.Uid);
        Assert.Equal(["\\Flagged", "$Work"], message.Flags);
        Assert.Equal(result.ModSeq, message.ModSeq);
        var details = Assert.IsType<MessageDetails>(message.Details);
        Assert.Equal(body.Key, details.BlobKey);
        Assert.Equal(body.Size, details.BlobSize);
        Assert.Equal(body.Size + 34, details.Size);
        Assert.Equal(Date, details.InternalDate);
        Assert.Equal("Return-Path: <alice@example.org>\r\n", Encoding.ASCII.GetString(details.HeaderPrefix.Span));
        Assert.Equal("Quarterly report", details.Metadata.Envelope.Subject);
        Assert.Equal("alice", details.Metadata.Envelope.From![0].Mailbox);

        var status = await Store.GetMailboxStatusAsync(Jane, "inbox", CancellationToken.None);
        Assert.Equal("INBOX", status.Name);
        Assert.Equal(SpecialUse.Inbox, status.SpecialUse);
        Assert.Equal(1u, status.Messages);
        Assert.Equal(1u, status.Unseen);
        Assert.Equal(1u, status.Recent);
        Assert.Equal(2u, status.UidNext);
        Assert.Equal(result.UidValidity, status.UidValidity);
        Assert.Equal(result.ModSeq, status.HighestModSeq);
        Assert.Equal(details.Size, status.Size);

        var usage = await Store.GetUsageAsync(Jane, CancellationToken.None);
        Assert.Equal(new MailboxUsage(details.Size, 1), usage);
    }

    [Fact]
    public async Task Uids_increase_strictly_and_uidvalidity_is_stable()
    {
        var results = new List<AppendResult>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await AppendAsync());
        }

        Assert.Equal([1u, 2u, 3u, 4u, 5u], results.Select(r => r.Uid));
        Assert.Single(results.Select(r => r.UidValidity).Distinct());
        Assert.True(results.Zip(results.Skip(1)).All(p => p.Second.ModSeq > p.First.ModSeq));

        // Expunged UIDs are never reused.
        await Store.StoreFlagsAsync(Jane, "INBOX", UidSet.Range(5, 5), FlagOperation.Add, ["\\Deleted"], null, CancellationToken.None);
        await Store.ExpungeAsync(Jane, "INBOX", null, CancellationToken.None);
        Assert.Equal(6u, (await AppendAsync()).Uid);

        var recent = await Store.ClaimRecentAsync(Jane, "INBOX", CancellationToken.None);
        Assert.Equal(1u, recent);
        Assert.Equal(0u, (await Store.GetMailboxStatusAsync(Jane, "INBOX", CancellationToken.None)).Recent);
        Assert.Equal(0u, await Store.ClaimRecentAsync(Jane, "INBOX", CancellationToken.None));
    }

    [Fact]
    public async Task Append_with_the_same_idempotency_key_returns_the_first_result()
    {
        var body = await PutBodyAsync();
        var first = await Store.AppendAsync(Request(body, idempotencyKey: "q1/0"), CancellationToken.None);
        var second = await Store.AppendAsync(Request(body, idempotencyKey: "q1/0"), CancellationToken.None);
        var other = await Store.AppendAsync(Request(body, idempotencyKey: "q1/1"), CancellationToken.None);

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal((first.UidValidity, first.Uid), (second.UidValidity, second.Uid));
        Assert.Equal(2u, other.Uid);
        Assert.Equal(2, (await ListAsync()).Count);
        Assert.Equal(2, await Store.GetReferenceCountAsync(body.Key));

        var ttl = await _server.Connection.GetDatabase().KeyTimeToLiveAsync(Prefix + ":{" + Jane + "}:idem:q1/0");
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(29), TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task Append_over_quota_is_refused_and_writes_nothing()
    {
        var body = await PutBodyAsync();
        await Store.AppendAsync(Request(body, quota: body.Size * 2), CancellationToken.None);
        await Store.AppendAsync(Request(body, quota: body.Size * 2), CancellationToken.None);

        await Assert.ThrowsAsync<MailboxQuotaExceededException>(() => Store.AppendAsync(Request(body, quota: body.Size * 2), CancellationToken.None));

        Assert.Equal(2, (await ListAsync()).Count);
        Assert.Equal(new MailboxUsage(body.Size * 2, 2), await Store.GetUsageAsync(Jane, CancellationToken.None));
        Assert.Equal(2, await Store.GetReferenceCountAsync(body.Key));

        // Copies count against the quota too.
        await Assert.ThrowsAsync<MailboxQuotaExceededException>(() => Store.CopyMessagesAsync(Jane, "INBOX", UidSet.All, "Archive", body.Size * 3, CancellationToken.None));
        Assert.Equal(2, await Store.GetReferenceCountAsync(body.Key));
    }

    [Fact]
    public async Task Special_use_mailboxes_are_created_on_first_use_and_others_are_not()
    {
        var before = await Store.ListMailboxesAsync(Jane, CancellationToken.None);
        Assert.Equal(["INBOX"], before.Select(m => m.Name));

        var sent = await AppendAsync("Sent");
        Assert.Equal(1u, sent.Uid);
        var trash = await Store.GetMailboxStatusAsync(Jane, "Trash", CancellationToken.None);
        Assert.Equal(SpecialUse.Trash, trash.SpecialUse);
        Assert.NotEqual(sent.UidValidity, trash.UidValidity);

        await Assert.ThrowsAsync<MailboxNotFoundException>(() => AppendAsync("Projects"));
        await Assert.ThrowsAsync<MailboxNotFoundException>(() => Store.GetMailboxStatusAsync(Jane, "Projects", CancellationToken.None));

        var after = await Store.ListMailboxesAsync(Jane, CancellationToken.None);
        Assert.Equal(["INBOX", "Sent", "Trash"], after.Select(m => m.Name));
        Assert.Equal([SpecialUse.Inbox, SpecialUse.Sent, SpecialUse.Trash], after.Select(m => m.SpecialUse));
        Assert.Equal(1u, after.Single(m => m.Name == "Sent").Messages);
    }

    [Fact]
    public async Task Create_rename_and_delete_follow_rfc3501()
    {
        var created = await Store.CreateMailboxAsync(Jane, "Projects/2026", CancellationToken.None);
        Assert.Equal("Projects/2026", created.Name);
        await Assert.ThrowsAsync<MailboxAlreadyExistsException>(() => Store.CreateMailboxAsync(Jane, "Projects", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateMailboxAsync(Jane, "a//b", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateMailboxAsync(Jane, "a/../b", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateMailboxAsync(Jane, "50%", CancellationToken.None));

        var uid = (await AppendAsync("Projects/2026")).Uid;

        // A rename carries the children, messages and UIDVALIDITY.
        await Store.RenameMailboxAsync(Jane, "Projects", "Work", CancellationToken.None);
        var names = (await Store.ListMailboxesAsync(Jane, CancellationToken.None)).Select(m => m.Name).ToList();
        Assert.Equal(["INBOX", "Work", "Work/2026"], names);
        var moved = await Store.GetMailboxStatusAsync(Jane, "Work/2026", CancellationToken.None);
        Assert.Equal(created.UidValidity, moved.UidValidity);
        Assert.Equal(uid, Assert.Single(await ListAsync("Work/2026")).Uid);
        await Assert.ThrowsAsync<MailboxNotFoundException>(() => Store.GetMailboxStatusAsync(Jane, "Projects/2026", CancellationToken.None));
        await Assert.ThrowsAsync<MailboxAlreadyExistsException>(() => Store.RenameMailboxAsync(Jane, "Work/2026", "INBOX", CancellationToken.None));

        // Renaming INBOX moves its messages to a new mailbox and leaves an empty INBOX.
        await AppendAsync();
        await AppendAsync();
        await Store.CreateMailboxAsync(Jane, "INBOX/Child", CancellationToken.None);
        var inbox = await Store.GetMailboxStatusAsync(Jane, "INBOX", CancellationToken.None);
        await Store.RenameMailboxAsync(Jane, "INBOX", "Old mail", CancellationToken.None);
        var old = await Store.GetMailboxStatusAsync(Jane, "Old mail", CancellationToken.None);
        var fresh = await Store.GetMailboxStatusAsync(Jane, "INBOX", CancellationToken.None);
        Assert.Equal(2u, old.Messages);
        Assert.Equal(inbox.UidValidity, old.UidValidity);
        Assert.Equal(0u, fresh.Messages);
        Assert.NotEqual(inbox.UidValidity, fresh.UidValidity);
        Assert.Contains("INBOX/Child", (await Store.ListMailboxesAsync(Jane, CancellationToken.None)).Select(m => m.Name));

        // Delete frees the name and the usage; INBOX cannot be deleted.
        await Store.DeleteMailboxAsync(Jane, "Old mail", CancellationToken.None);
        await Assert.ThrowsAsync<MailboxNotFoundException>(() => Store.GetMailboxStatusAsync(Jane, "Old mail", CancellationToken.None));
        await Assert.ThrowsAsync<MailboxException>(() => Store.DeleteMailboxAsync(Jane, "inbox", CancellationToken.None));
        Assert.Equal(1, (await Store.GetUsageAsync(Jane, CancellationToken.None)).Messages);
        var recreated = await Store.CreateMailboxAsync(Jane, "Old mail", CancellationToken.None);
        Assert.NotEqual(old.UidValidity, recreated.UidValidity);
        Assert.Equal(0u, recreated.Messages);
    }

    [Fact]
    public async Task Concurrent_appends_get_distinct_uids()
    {
        var body = await PutBodyAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Store.AppendAsync(Request(body, idempotencyKey: "c/" + (i % 20)), CancellationToken.None)));

        // 20 keys, each appended twice at once: exactly one of each pair is new.
        Assert.Equal(20, results.Count(r => !r.Duplicate));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (uint)i), results.Where(r => !r.Duplicate).Select(r => r.Uid).Order());
        Assert.Equal(20, (await ListAsync()).Count);
        Assert.Equal(20, await Store.GetReferenceCountAsync(body.Key));
    }

    [Fact]
    public async Task Deleting_a_mailbox_purges_its_messages_in_batches_and_deletes_unshared_bodies()
    {
        await Store.CreateMailboxAsync(Jane, "Old", CancellationToken.None);
        var shared = await PutBodyAsync();
        await Store.AppendAsync(Request(shared), CancellationToken.None);
        await Store.AppendAsync(Request(shared, mailbox: "Old"), CancellationToken.None);
        var own = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var body = await PutBodyAsync();
            own.Add(body.Key);
            await Store.AppendAsync(Request(body, mailbox: "Old"), CancellationToken.None);
        }

        await Store.DeleteMailboxAsync(Jane, "Old", CancellationToken.None);

        foreach (var key in own)
        {
            Assert.Null(await Blobs.StatAsync(key, CancellationToken.None));
        }

        Assert.NotNull(await Blobs.StatAsync(shared.Key, CancellationToken.None));
        Assert.Equal(1, await Store.GetReferenceCountAsync(shared.Key));
        Assert.Equal(new MailboxUsage(shared.Size, 1), await Store.GetUsageAsync(Jane, CancellationToken.None));
        var db = _server.Connection.GetDatabase();
        Assert.Equal(0, await db.SetLengthAsync(Prefix + ":{" + Jane + "}:dead"));
        await Assert.ThrowsAsync<MailboxNotFoundException>(() => Store.DeleteMailboxAsync(Jane, "Old", CancellationToken.None));
    }

    [Fact]
    public async Task An_append_refused_for_quota_can_succeed_later_with_the_same_key()
    {
        var body = await PutBodyAsync();
        await Assert.ThrowsAsync<MailboxQuotaExceededException>(() => Store.AppendAsync(Request(body, idempotencyKey: "q/1", quota: body.Size - 1), CancellationToken.None));
        Assert.Equal(0, await Store.GetReferenceCountAsync(body.Key));
        Assert.NotNull(await Blobs.StatAsync(body.Key, CancellationToken.None));

        var later = await Store.AppendAsync(Request(body, idempotencyKey: "q/1", quota: body.Size), CancellationToken.None);
        Assert.Equal(AppendStatus.Appended, later.Status);
        Assert.Equal(1, await Store.GetReferenceCountAsync(body.Key));
    }

    [Fact]
    public async Task Appending_a_missing_body_fails_and_leaves_no_reference()
    {
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.AppendAsync(Request(("messages/none", 10)), CancellationToken.None));
        Assert.Equal(0, await Store.GetReferenceCountAsync("messages/none"));
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task Subscriptions_are_kept_by_name()
    {
        await Store.SubscribeAsync(Jane, "inbox", CancellationToken.None);
        await Store.SubscribeAsync(Jane, "Later", CancellationToken.None);
        await Store.UnsubscribeAsync(Jane, "Later", CancellationToken.None);
        await Store.SubscribeAsync(Jane, "Sent", CancellationToken.None);

        Assert.Equal(["INBOX", "Sent"], await Store.ListSubscriptionsAsync(Jane, CancellationToken.None));
        var boxes = await Store.ListMailboxesAsync(Jane, CancellationToken.None);
        Assert.True(boxes.Single(b => b.Name == "INBOX").Subscribed);
    }

    [Fact]
    public async Task Flags_add_remove_replace_raise_the_modseq_and_keep_unseen()
    {
        for (var i = 0; i < 3; i++)
        {
            await AppendAsync();
        }

        var start = (await Store.GetMailboxStatusAsync(Jane, "INBOX", CancellationToken.None)).HighestModSeq;

        var added = await Store.StoreFlagsAsync(Jane, "INBOX", UidSet.Range(1, 2), FlagOperation.Add, ["\\SEEN", "$Label1"], null, CancellationToken.None);
        Assert.Equal([1u, 2u], added.Updated.Select(u => u.Uid));
        Assert.All(added.Updated, u => Assert.Equal(["\\Seen", "$Label1"], u.Flags));
        Assert.All(added.Updated, u => Assert.True(u.ModSeq > start));
        Assert.Equal(1u, (await Store.GetMailboxStatusAsync(Jane, "INBOX", CancellationToken.None)).Unseen);

        var removed = await Store.StoreFlagsAsync(Jane, "INBOX", UidSet.Of([2]), FlagOperation.Remove, ["\\Seen"], null, CancellationToken.None);
        Assert.Equal(["$Label1"], Assert.Single(removed.Updated).Flags);
        Assert.True(removed.HighestModSeq > added.HighestModSeq);

        var replaced = await Store.StoreFlagsAsync(Jane, "INBOX", UidSet.All, FlagOperation.Replace, ["\\Answered"], null, CancellationToken.None);
        Assert.Equal(3, replaced.Updated.Count);
        Assert.All(replaced.Updated, u => Assert.Equal(["\\Answered"], u.Flags));
        Assert.Equal(3u, (await Store.GetMailboxStatusAsync(Jane, "INBOX", CancellationToken.None)).Unseen);

        // No change, no new modseq.
        var again = await Store.StoreFlagsAsync(Jane, "INBOX", UidSet.Of([1]), FlagOperation.Add, ["\\Answered"], null, CancellationToken.None);
        Assert.Equal(replaced.HighestModSeq, again.HighestModSeq);

        // CONDSTORE: UNCHANGEDSINCE below a message's modseq refuses it.
        var conditional = await Store.StoreFlagsAsync(Jane, "INBOX", UidSet.All, FlagOperation.Add, ["\\Flagged"], added.HighestModSeq, CancellationToken.None);
        Assert.Equal([1u, 2u, 3u], conditional.Modified);
        Assert.Empty(conditional.Updated);

        var stored = await ListAsync();
        Assert.All(stored, m => Assert.Equal(["\\Answered"], m.Flags));
        Assert.Equal(replaced.HighestModSeq, stored.Max(m => m.ModSeq));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.StoreFlagsAsync(Jane, "INBOX", UidSet.All, FlagOperation.Add, ["bad flag"], null, CancellationToken.None));
    }

    [Fact]
    public async Task Expunge_removes_deleted_messages_all_or_by_uid_set()
    {
        for (var i = 0; i < 20; i++)
        {
            await AppendAsync();
        }

        await Store.StoreFlagsAsync(Jane, "INBOX", UidSet.FromRanges([(2, 4), (10, 18)]), FlagOperation.Add, ["\\Deleted"], null, CancellationToken.None);

        // UID EXPUNGE removes only deleted messages in the set.
        var some = await Store.ExpungeAsync(Jane, "INBOX", UidSet.FromRanges([(1, 3), (20, 20)]), CancellationToken.None);
        Assert.Equal([2u, 3u], some);

        // Batches of 7: twelve deleted messages take two scripts.
        var rest = await Store.ExpungeAsync(Jane, "INBOX", null, CancellationToken.None);
        Assert.Equal([4u, 10u, 11u, 12u, 13u, 14u, 15u, 16u, 17u, 18u], rest);

        var left = await ListAsync();
        Assert.Equal([1u, 5u, 6u, 7u, 8u, 9u, 19u, 20u], left.Select(m => m.Uid));
        var status = await Store.GetMailboxStatusAsync(Jane, "INBOX", CancellationToken.None);
        Assert.Equal(8u, status.Messages);
        Assert.Equal(8u, status.Unseen);
        Assert.Equal(8, (await Store.GetUsageAsync(Jane, CancellationToken.None)).Messages);
        Assert.Empty(await Store.ExpungeAsync(Jane, "INBOX", null, CancellationToken.None));
    }

    [Fact]
    public async Task Copy_and_move_return_uid_maps_and_reference_bodies()
    {
        var bodies = new List<(string Key, long Size)>();
        for (var i = 0; i < 10; i++)
        {
            var body = await PutBodyAsync();
            bodies.Add(body);
            await Store.AppendAsync(Request(body, flags: i == 0 ? ["\\Seen"] : []), CancellationToken.None);
        }

        await Store.CreateMailboxAsync(Jane, "Work", CancellationToken.None);
        await AppendAsync("Work");

        var copy = await Store.CopyMessagesAsync(Jane, "INBOX", UidSet.FromRanges([(1, 3), (9, 12)]), "Work", null, CancellationToken.None);
        Assert.Equal([1u, 2u, 3u, 9u, 10u], copy.SourceUids);
        Assert.Equal([2u, 3u, 4u, 5u, 6u], copy.DestinationUids);
        Assert.Equal((await Store.GetMailboxStatusAsync(Jane, "Work", CancellationToken.None)).UidValidity, copy.DestinationUidValidity);
        Assert.Equal(2, await Store.GetReferenceCountAsync(bodies[0].Key));
        Assert.Equal(1, await Store.GetReferenceCountAsync(bodies[4].Key));
        var work = await ListAsync("Work", details: true);
        Assert.Equal(["\\Seen"], work.Single(m => m.Uid == 2).Flags);
        Assert.Equal(bodies[8].Key, work.Single(m => m.Uid == 5).Details!.BlobKey);

        // Move: 8 messages, more than one batch of 7.
        var move = await Store.MoveMessagesAsync(Jane, "INBOX", UidSet.Range(3, 10), "Archive", CancellationToken.None);
        Assert.Equal([3u, 4u, 5u, 6u, 7u, 8u, 9u, 10u], move.SourceUids);
        Assert.Equal([1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u], move.DestinationUids);
        Assert.Equal([1u, 2u], (await ListAsync()).Select(m => m.Uid));
        Assert.Equal(8u, (await Store.GetMailboxStatusAsync(Jane, "Archive", CancellationToken.None)).Messages);
        Assert.Equal(1, await Store.GetReferenceCountAsync(bodies[5].Key));

        var usage = await Store.GetUsageAsync(Jane, CancellationToken.None);
        Assert.Equal(16, usage.Messages);
        await Assert.ThrowsAsync<MailboxNotFoundException>(() => Store.MoveMessagesAsync(Jane, "INBOX", UidSet.All, "Nowhere", CancellationToken.None));
    }

    [Fact]
    public async Task One_body_for_100_recipients_is_stored_once_and_deleted_with_the_last_entry()
    {
        var body = await PutBodyAsync();
        var users = Enumerable.Range(0, 100).Select(i => $"user{i}@example.net").ToList();
        foreach (var user in users)
        {
            await Store.AppendAsync(Request(body, user: user, idempotencyKey: "q9/" + user), CancellationToken.None);
        }

        Assert.Single(await Blobs.ListAsync("messages/", CancellationToken.None).ToListAsync());
        Assert.Equal(100, await Store.GetReferenceCountAsync(body.Key));

        foreach (var user in users.Take(99))
        {
            await Store.StoreFlagsAsync(user, "INBOX", UidSet.All, FlagOperation.Add, ["\\Deleted"], null, CancellationToken.None);
            await Store.ExpungeAsync(user, "INBOX", null, CancellationToken.None);
        }

        Assert.Equal(1, await Store.GetReferenceCountAsync(body.Key));
        Assert.NotNull(await Blobs.StatAsync(body.Key, CancellationToken.None));

        Assert.Equal(1, await Store.DeleteUserDataAsync(users[99], CancellationToken.None));
        Assert.Null(await Blobs.StatAsync(body.Key, CancellationToken.None));
        Assert.Equal(0, await Store.GetReferenceCountAsync(body.Key));
        Assert.False(await _server.Connection.GetDatabase().KeyExistsAsync(Prefix + ":ref:{" + body.Key + "}"));
    }

    [Fact]
    public async Task Delete_user_data_removes_everything_and_the_domain_lists_its_users()
    {
        await AppendAsync();
        await AppendAsync("Sent");
        await Store.CreateMailboxAsync(Jane, "Work", CancellationToken.None);
        await Store.SubscribeAsync(Jane, "Work", CancellationToken.None);
        await AppendAsync(user: "bob@example.com");
        await AppendAsync(user: "carol@example.org");

        var users = await Store.ListDomainUsersAsync("EXAMPLE.com", CancellationToken.None).ToListAsync();
        Assert.Equal(["bob@example.com", Jane], users.Order(StringComparer.Ordinal));

        Assert.Equal(2, await Store.DeleteUserDataAsync(Jane, CancellationToken.None));
        Assert.Equal(new MailboxUsage(0, 0), await Store.GetUsageAsync(Jane, CancellationToken.None));
        Assert.Empty(await Store.ListSubscriptionsAsync(Jane, CancellationToken.None));
        Assert.Equal(["INBOX"], (await Store.ListMailboxesAsync(Jane, CancellationToken.None)).Select(m => m.Name));
        Assert.Empty(await ListAsync());

        // Only the fresh INBOX's state is left of Jane.
        var server = _server.Connection.GetServer(_server.Connection.GetEndPoints()[0]);
        var keys = server.Keys(pattern: Prefix + ":{" + Jane + "}:*").Select(k => k.ToString()).ToList();
        Assert.DoesNotContain(keys, k => k.EndsWith(":uids", StringComparison.Ordinal) || k.EndsWith(":m", StringComparison.Ordinal));
        Assert.Equal(0, await Blobs.ListAsync("messages/", CancellationToken.None).CountAsync() - 2);

        var domain = await Store.DeleteDomainDataAsync("example.com", CancellationToken.None);
        Assert.Equal(new DomainDeletion(2, 1), domain);
        Assert.Empty(await Store.ListDomainUsersAsync("example.com", CancellationToken.None).ToListAsync());
        Assert.Equal(1, (await Store.GetUsageAsync("carol@example.org", CancellationToken.None)).Messages);
    }

    [Fact]
    public async Task A_change_reaches_a_subscriber_on_another_connection_within_a_second()
    {
        var status = await Store.GetMailboxStatusAsync(Jane, "INBOX", CancellationToken.None);
        await using var other = await ConnectionMultiplexer.ConnectAsync(_server.EndPoint);
        var replica = new RedisMailboxStore(other, Blobs, new RedisMailboxStoreOptions { KeyPrefix = Prefix });
        await using var watch = await replica.WatchAsync(Jane, status.Id, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await using var changes = watch.ReadAllAsync(timeout.Token).GetAsyncEnumerator();

        var appended = await AppendAsync();
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal((status.Id, MailboxChangeKind.Exists, appended.ModSeq), (changes.Current.MailboxId, changes.Current.Kind, changes.Current.ModSeq));
        Assert.Equal([appended.Uid], changes.Current.Uids);

        var stored = await Store.StoreFlagsAsync(Jane, "INBOX", UidSet.All, FlagOperation.Add, ["\\Deleted"], null, CancellationToken.None);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(MailboxChangeKind.Flags, changes.Current.Kind);
        Assert.Equal(stored.HighestModSeq, changes.Current.ModSeq);

        await Store.ExpungeAsync(Jane, "INBOX", null, CancellationToken.None);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(MailboxChangeKind.Expunge, changes.Current.Kind);
        Assert.Equal([appended.Uid], changes.Current.Uids);
    }

    [Fact]
    public async Task Paging_over_5000_messages_returns_every_uid_in_order()
    {
        var body = await PutBodyAsync();
        var requests = Enumerable.Range(0, 5000).Select(i => Request(body, idempotencyKey: "bulk/" + i, flags: i % 2 == 0 ? ["\\Seen"] : [])).ToList();
        var results = await Store.AppendBatchAsync(requests, CancellationToken.None);
        Assert.All(results, r => Assert.Equal(AppendStatus.Appended, r.Status));
        Assert.Equal(5000, await Store.GetReferenceCountAsync(body.Key));

        // Pages of 300: the store never reads more than that from Redis at once.
        var uids = new List<uint>();
        var pages = 0;
        await foreach (var message in Store.ListMessagesAsync(Jane, "INBOX", UidSet.All, includeDetails: false, CancellationToken.None, pageSize: 300))
        {
            Assert.Null(message.Details);
            if (uids.Count % 300 == 0)
            {
                pages++;
            }

            uids.Add(message.Uid);
        }

        Assert.Equal(Enumerable.Range(1, 5000).Select(i => (uint)i), uids);
        Assert.Equal(17, pages);

        var window = await ListAsync(uids: UidSet.FromRanges([(4990, uint.MaxValue), (10, 12)]));
        Assert.Equal([10u, 11u, 12u, 4990u, 4991u, 4992u, 4993u, 4994u, 4995u, 4996u, 4997u, 4998u, 4999u, 5000u], window.Select(m => m.Uid));

        // A batched STORE over unsorted ranges (batches of 7) reaches every range.
        var stored = await Store.StoreFlagsAsync(Jane, "INBOX", UidSet.FromRanges([(4995, 5000), (1, 9)]), FlagOperation.Add, ["$Bulk"], null, CancellationToken.None);
        Assert.Equal([1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 4995u, 4996u, 4997u, 4998u, 4999u, 5000u], stored.Updated.Select(u => u.Uid));

        var status = await Store.GetMailboxStatusAsync(Jane, "INBOX", CancellationToken.None);
        Assert.Equal(5000u, status.Messages);
        Assert.Equal(2500u, status.Unseen);

        // Retrying the whole batch appends nothing.
        var retry = await Store.AppendBatchAsync(requests.Take(250).ToList(), CancellationToken.None);
        Assert.All(retry, r => Assert.True(r.Duplicate));
        Assert.Equal(5000, await Store.GetReferenceCountAsync(body.Key));
    }
}
