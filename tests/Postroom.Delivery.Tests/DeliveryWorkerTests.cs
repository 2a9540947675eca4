using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Postroom.Config;
using Postroom.Mailbox;
using Postroom.Mailbox.Redis;
using Postroom.Queue;
using Postroom.Storage;
using Postroom.Testing;

namespace Postroom.Delivery.Tests;

/// <summary>The worker against real stores: the Redis queue and mailbox store on Garnet, bodies in files.</summary>
public sealed class DeliveryWorkerTests : IClassFixture<GarnetFixture>, IDisposable
{
    private readonly string _blobRoot = Path.Combine(Path.GetTempPath(), "postroom-delivery-tests-" + Guid.NewGuid().ToString("N"));
    private readonly FileSystemBlobStore _blobs;
    private readonly RedisMailQueue _queue;
    private readonly RedisMailboxStore _mailboxes;
    private readonly DeliveryWorker _worker;

    public DeliveryWorkerTests(GarnetFixture garnet)
    {
        var prefix = "test:" + Guid.NewGuid().ToString("N");
        _blobs = new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = _blobRoot });
        _queue = new RedisMailQueue(garnet.Connection, new RedisMailQueueOptions { KeyPrefix = prefix + ":queue" });
        _mailboxes = new RedisMailboxStore(garnet.Connection, _blobs, new RedisMailboxStoreOptions { KeyPrefix = prefix + ":mbx" });
        _worker = NewWorker(TimeSpan.FromMinutes(5));
    }

    public void Dispose()
    {
        _worker.Dispose();
        try
        {
            Directory.Delete(_blobRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private DeliveryWorker NewWorker(TimeSpan visibility) => new(
        _queue,
        _mailboxes,
        _blobs,
        new StaticConfigSnapshotSource(TestConfig.Snapshot()),
        new DeliveryOptions { VisibilityTimeout = visibility, IdleDelay = TimeSpan.FromMilliseconds(20) },
        NullLogger<DeliveryWorker>.Instance);

    private async Task<QueueId> EnqueueAsync(string sender, string[] recipients, string? extraHeaders = null, string? body = null)
    {
        var text = $"{extraHeaders}From: Alice <alice@remote.example>\r\nTo: {string.Join(", ", recipients)}\r\nSubject: test\r\nMessage-ID: <{Guid.NewGuid():N}@remote.example>\r\n\r\n{body ?? "Hello.\r\n"}";
        var key = "messages/" + Guid.NewGuid().ToString("N");
        var info = await _blobs.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None);
        return await _queue.EnqueueAsync(new NewQueueEntry
        {
            Envelope = new Envelope(sender, key, info.Length, DateTimeOffset.UtcNow),
            Recipients = [.. recipients.Select(r => new QueuedRecipient(r))],
        });
    }

    private async Task<List<MimeMessage>> InboxAsync(string user)
    {
        var messages = new List<MimeMessage>();
        await foreach (var message in _mailboxes.ListMessagesAsync(user, LocalDelivery.Inbox, UidSet.All, includeDetails: true, CancellationToken.None))
        {
            var details = message.Details!;
            var bytes = new MemoryStream();
            bytes.Write(details.HeaderPrefix.Span);
            var body = await _blobs.OpenReadAsync(details.BlobKey, CancellationToken.None);
            await using (body)
            {
                await body.CopyToAsync(bytes);
            }

            bytes.Position = 0;
            messages.Add(await MimeMessage.LoadAsync(bytes));
        }

        return messages;
    }

    [Fact]
    public async Task Delivers_an_alias_to_both_inboxes_with_return_path_and_delivered_to()
    {
        var id = await EnqueueAsync("alice@remote.example", ["sales@example.com"]);

        Assert.Equal(1, await _worker.RunOnceAsync(CancellationToken.None));

        foreach (var user in new[] { "jane@example.com", "john@example.com" })
        {
            var message = Assert.Single(await InboxAsync(user));
            Assert.Equal("<alice@remote.example>", message.Headers[HeaderId.ReturnPath]);
            Assert.Equal(user, message.Headers["Delivered-To"]);
            Assert.Equal("test", message.Subject);
        }

        Assert.Null(await _queue.GetAsync(id));
    }

    [Fact]
    public async Task The_null_sender_gets_an_empty_return_path()
    {
        await EnqueueAsync("", ["jane@example.com"]);

        await _worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal("<>", Assert.Single(await InboxAsync("jane@example.com")).Headers[HeaderId.ReturnPath]);
    }

    [Fact]
    public async Task A_worker_that_dies_before_completing_causes_no_second_copy()
    {
        var id = await EnqueueAsync("alice@remote.example", ["sales@example.com"]);
        var lease = Assert.Single(await _queue.LeaseAsync(1, TimeSpan.FromSeconds(1)));

        // The first worker appends, then dies before CompleteAsync: its lease runs out.
        var outcomes = await _worker.AttemptAsync(lease.Entry, CancellationToken.None);
        Assert.Equal(RecipientOutcomeKind.Delivered, Assert.Single(outcomes).Kind);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(1, await _worker.RunOnceAsync(CancellationToken.None));
        Assert.Null(await _queue.GetAsync(id));
        Assert.Single(await InboxAsync("jane@example.com"));
        Assert.Single(await InboxAsync("john@example.com"));
    }

    [Fact]
    public async Task A_message_already_delivered_to_the_target_is_a_loop_and_fails_permanently()
    {
        var id = await EnqueueAsync("alice@remote.example", ["sales@example.com"], extraHeaders: "Delivered-To: JANE@example.com\r\n");
        var lease = Assert.Single(await _queue.LeaseAsync(1, TimeSpan.FromMinutes(1)));

        var result = await _worker.ProcessAsync(lease, CancellationToken.None);

        Assert.Equal(CompletionStatus.Finished, result!.Status);
        var state = Assert.Single(result.Entry!.Recipients).State;
        Assert.Equal(RecipientStatus.PermanentFailure, state.Status);
        Assert.Equal("554 5.4.6 mail loop: already delivered to jane@example.com", state.LastDiagnostic!.Text);
        Assert.Empty(await InboxAsync("jane@example.com"));
        Assert.Null(await _queue.GetAsync(id));
    }

    [Fact]
    public async Task A_full_mailbox_is_a_temporary_failure_retried_later()
    {
        var id = await EnqueueAsync("alice@remote.example", ["tiny@example.com", "jane@example.com"], body: new string('x', 2000) + "\r\n");
        var before = DateTimeOffset.UtcNow;

        await _worker.RunOnceAsync(CancellationToken.None);

        var entry = await _queue.GetAsync(id);
        Assert.NotNull(entry);
        var tiny = entry.Recipients[0].State;
        Assert.Equal(RecipientStatus.TemporaryFailure, tiny.Status);
        Assert.Equal("452 4.2.2 mailbox full", tiny.LastDiagnostic!.Text);
        Assert.InRange(tiny.NextAttemptAt!.Value, before.AddMinutes(14), before.AddMinutes(16));
        Assert.Equal(RecipientStatus.Delivered, entry.Recipients[1].State.Status);
        Assert.Empty(await InboxAsync("tiny@example.com"));
        Assert.Single(await InboxAsync("jane@example.com"));
    }

    [Fact]
    public async Task A_remote_forward_stays_queued_with_451_while_local_copies_are_delivered()
    {
        var id = await EnqueueAsync("alice@remote.example", ["backup@example.com"]);

        await _worker.RunOnceAsync(CancellationToken.None);

        var state = Assert.Single((await _queue.GetAsync(id))!.Recipients).State;
        Assert.Equal(RecipientStatus.TemporaryFailure, state.Status);
        Assert.Equal("451 4.4.0 remote delivery is not available yet", state.LastDiagnostic!.Text);
        Assert.Single(await InboxAsync("jane@example.com"));
    }

    [Fact]
    public async Task A_body_missing_from_storage_fails_permanently()
    {
        var id = await EnqueueAsync("alice@remote.example", ["jane@example.com"]);
        await _blobs.DeleteAsync((await _queue.GetAsync(id))!.Envelope.BodyKey, CancellationToken.None);
        var lease = Assert.Single(await _queue.LeaseAsync(1, TimeSpan.FromMinutes(1)));

        var result = await _worker.ProcessAsync(lease, CancellationToken.None);

        var state = Assert.Single(result!.Entry!.Recipients).State;
        Assert.Equal(RecipientStatus.PermanentFailure, state.Status);
        Assert.Equal("554 5.3.0 message body is missing from storage", state.LastDiagnostic!.Text);
    }

    [Fact]
    public async Task The_background_loop_delivers_what_is_enqueued_while_it_runs()
    {
        using var worker = NewWorker(TimeSpan.FromMinutes(5));
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var id = await EnqueueAsync("alice@remote.example", ["jane+news@example.com"]);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await _queue.GetAsync(id) is not null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.Null(await _queue.GetAsync(id));
            Assert.Equal("jane@example.com", Assert.Single(await InboxAsync("jane@example.com")).Headers["Delivered-To"]);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }
}
