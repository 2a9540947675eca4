using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postroom.Hosting.Smtp;
using Postroom.Queue;
using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;
using Postroom.Storage;
using Postroom.Testing;

namespace Postroom.Hosting.Tests;

/// <summary>The commit step: body first, then one queue entry; never one without the other.</summary>
public sealed class CommitterTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>, IDisposable
{
    private readonly DirectoryInfo _blobs = Directory.CreateTempSubdirectory("postroom-commit-");

    private FileSystemBlobStore Blobs => new(new FileSystemBlobStoreOptions { RootPath = _blobs.FullName });

    [Fact]
    public async Task Stores_the_body_and_queues_one_entry_with_the_envelope()
    {
        var queue = new RedisMailQueue(garnet.Connection, new RedisMailQueueOptions { KeyPrefix = $"t{Guid.NewGuid():N}" });
        var committer = new BlobQueueMessageCommitter(Blobs, queue, TimeProvider.System, NullLogger<BlobQueueMessageCommitter>.Instance);
        var message = Message(committer.NewMessageId());

        var id = await committer.CommitAsync(message, new MemoryStream(Encoding.ASCII.GetBytes("Subject: x\r\n\r\nbody\r\n")), CancellationToken.None);

        Assert.Equal(message.TransactionId, id);
        var entry = await queue.GetAsync(QueueId.Parse(id));
        Assert.NotNull(entry);
        Assert.Equal("alice@remote.example", entry.Envelope.Sender);
        Assert.Equal(DsnReturn.Full, entry.Envelope.Ret);
        Assert.Equal("env-1", entry.Envelope.EnvId);
        Assert.Equal("192.0.2.7", entry.Envelope.Attributes[EnvelopeAttributes.ClientIp]);
        Assert.Equal("jane@example.com", entry.Envelope.Attributes[EnvelopeAttributes.AuthUser]);
        var recipient = Assert.Single(entry.Recipients).Recipient;
        Assert.Equal(("jane@example.com", DsnNotify.Failure, "rfc822;jane@example.com"), (recipient.Address, recipient.Notify, recipient.OriginalRecipient));
        Assert.Equal(20, (await Blobs.StatAsync(entry.Envelope.BodyKey, CancellationToken.None))?.Length);
    }

    [Fact]
    public async Task A_failing_content_stream_leaves_no_body_and_no_entry()
    {
        var queue = new RedisMailQueue(garnet.Connection, new RedisMailQueueOptions { KeyPrefix = $"t{Guid.NewGuid():N}" });
        var committer = new BlobQueueMessageCommitter(Blobs, queue, TimeProvider.System, NullLogger<BlobQueueMessageCommitter>.Instance);

        await Assert.ThrowsAsync<IOException>(() => committer.CommitAsync(Message(committer.NewMessageId()), new FailingStream(), CancellationToken.None));

        Assert.Empty(await Blobs.ListAsync("", CancellationToken.None).ToListAsync());
        Assert.Equal(0, (await queue.GetStatsAsync()).Total);
    }

    [Fact]
    public async Task A_queue_failure_removes_the_stored_body()
    {
        var committer = new BlobQueueMessageCommitter(Blobs, new UnavailableQueue(), TimeProvider.System, NullLogger<BlobQueueMessageCommitter>.Instance);

        await Assert.ThrowsAsync<TimeoutException>(() => committer.CommitAsync(Message(committer.NewMessageId()), new MemoryStream("body"u8.ToArray()), CancellationToken.None));

        Assert.Empty(await Blobs.ListAsync("", CancellationToken.None).ToListAsync());
    }

    public void Dispose() => _blobs.Delete(recursive: true);

    private static IncomingMessage Message(string id) => new(
        id,
        new SmtpPath("alice", "remote.example"),
        new MailParameters { Ret = DsnReturn.Full, EnvId = "env-1" },
        [new AcceptedRecipient(new SmtpPath("jane", "example.com"), new RcptParameters { Notify = DsnNotify.Failure, OriginalRecipient = "rfc822;jane@example.com" })],
        new SessionInfo { SessionId = "s", RemoteEndPoint = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 1), HeloName = "client.example", AuthenticatedUser = "jane@example.com" },
        DateTimeOffset.UtcNow);

    /// <summary>Gives two chunks of content, then fails as a dropped connection does.</summary>
    private sealed class FailingStream : MemoryStream
    {
        private int _reads;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (++_reads > 2)
            {
                throw new IOException("the client went away");
            }

            var count = Math.Min(buffer.Length, 1000);
            buffer.Span[..count].Fill((byte)'x');
            return ValueTask.FromResult(count);
        }
    }

    /// <summary>A queue whose Redis is unreachable: unit-level stand-in for that one failure.</summary>
    private sealed class UnavailableQueue : IMailQueue
    {
        public Task<QueueId> EnqueueAsync(NewQueueEntry entry, CancellationToken cancellationToken = default) => throw new TimeoutException("redis unreachable");

        public Task<IReadOnlyList<QueueLease>> LeaseAsync(int max, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> RenewLeaseAsync(QueueLease lease, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<CompletionResult> CompleteAsync(QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<QueueEntry?> GetAsync(QueueId id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<QueueEntry> ListAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<long> FlushAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(QueueId id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
