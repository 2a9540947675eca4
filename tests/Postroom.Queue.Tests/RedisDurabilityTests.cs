using Postroom.Testing;
using StackExchange.Redis;

namespace Postroom.Queue.Tests;

/// <summary>Real redis-server processes killed with SIGKILL and restarted, and WAIT with a real replica.</summary>
public sealed class RedisDurabilityTests
{
    [Fact]
    public async Task Acknowledged_writes_survive_kill_9_of_redis_server()
    {
        await using var server = await RedisServer.StartAsync();
        var options = new RedisMailQueueOptions { KeyPrefix = "durable", PartitionCount = 2 };
        QueueId waiting, partial;
        QueueLease lease;
        var retryAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
        await using (var connection = await TestConnections.ConnectAsync(server.EndPoint))
        {
            var queue = new RedisMailQueue(connection, options);
            waiting = await queue.EnqueueAsync(Entry("waiting", recipients: 1));
            partial = await queue.EnqueueAsync(Entry("partial", recipients: 2) with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(-1) });
            var leases = await queue.LeaseAsync(10, TimeSpan.FromHours(1));
            Assert.Equal(2, leases.Count);
            var result = await queue.CompleteAsync(leases.Single(l => l.Id == partial), [RecipientOutcome.Delivered(0), RecipientOutcome.TemporaryFailure(1, retryAt, new DeliveryDiagnostic(DeliveryError.Timeout, "timed out"))]);
            Assert.Equal(CompletionStatus.Rescheduled, result.Status);
            lease = leases.Single(l => l.Id == waiting);

            // Crash right after the acknowledgements: no SHUTDOWN, no BGREWRITEAOF, nothing.
            var pid = server.ProcessId;
            server.Kill();
            Assert.Null(server.ProcessId);
            Assert.NotNull(pid);
        }

        Assert.True(Directory.EnumerateFiles(server.DataDirectory, "*.aof*", SearchOption.AllDirectories).Any(), "no AOF was written");
        await server.RestartAsync();

        await using (var connection = await TestConnections.ConnectAsync(server.EndPoint))
        {
            var queue = new RedisMailQueue(connection, options);
            var w = await queue.GetAsync(waiting);
            Assert.NotNull(w);
            Assert.Equal("bodies/waiting", w.Envelope.BodyKey);
            Assert.Equal(1, w.LeaseCount);
            Assert.Equal(lease.ExpiresAt, w.LeaseExpiresAt);

            var p = await queue.GetAsync(partial);
            Assert.NotNull(p);
            Assert.Equal(RecipientStatus.Delivered, p.Recipients[0].State.Status);
            Assert.Equal(new RecipientState(RecipientStatus.TemporaryFailure, 1, retryAt, new DeliveryDiagnostic(DeliveryError.Timeout, "timed out")), p.Recipients[1].State);
            Assert.Equal(retryAt, p.NextAttemptAt);

            // The lease held before the crash is still held, and still completes.
            Assert.Equal(CompletionStatus.Finished, (await queue.CompleteAsync(lease, [RecipientOutcome.Delivered(0)])).Status);
            var stats = await queue.GetStatsAsync();
            Assert.Equal((1, 0, 0), (stats.Scheduled, stats.Due, stats.Leased));
        }
    }

    [Fact]
    public async Task WaitForReplicas_confirms_writes_on_a_replica()
    {
        await using var primary = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartAsync(["--replicaof", RedisServer.Host, primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await using var connection = await TestConnections.ConnectAsync(primary.EndPoint, admin: true);
        await WaitForReplicaLinkAsync(connection, primary.EndPoint);

        var queue = new RedisMailQueue(connection, new RedisMailQueueOptions { KeyPrefix = "wait", WaitForReplicas = 1, WaitTimeout = TimeSpan.FromSeconds(5) });
        var id = await queue.EnqueueAsync(Entry("replicated", recipients: 1));

        // WAIT returned, so the replica has the entry already.
        await using var replicaConnection = await TestConnections.ConnectAsync(replica.EndPoint);
        var onReplica = await replicaConnection.GetDatabase().HashGetAsync("wait:{p0}:e:" + id.Value, "bodykey");
        Assert.Equal("bodies/replicated", (string?)onReplica);

        var lease = Assert.Single(await queue.LeaseAsync(1, TimeSpan.FromMinutes(1)));
        Assert.Equal(CompletionStatus.Finished, (await queue.CompleteAsync(lease, [RecipientOutcome.Delivered(0)])).Status);
        Assert.False(await replicaConnection.GetDatabase().KeyExistsAsync("wait:{p0}:e:" + id.Value));
    }

    [Fact]
    public async Task WaitForReplicas_without_enough_replicas_fails_the_enqueue()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await TestConnections.ConnectAsync(server.EndPoint);
        var queue = new RedisMailQueue(connection, new RedisMailQueueOptions { KeyPrefix = "nowait", WaitForReplicas = 1, WaitTimeout = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<QueueDurabilityException>(() => queue.EnqueueAsync(Entry("lonely", recipients: 1)));
        Assert.Contains("0 of 1", error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForReplicaLinkAsync(ConnectionMultiplexer connection, string endpoint)
    {
        var server = connection.GetServer(endpoint);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var info = await server.InfoRawAsync("replication") ?? string.Empty;
            if (info.Contains("connected_slaves:1", StringComparison.Ordinal) && info.Contains("state=online", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("the replica did not come online");
    }

    internal static NewQueueEntry Entry(string name, int recipients) => new()
    {
        Envelope = new Envelope("alice@example.org", "bodies/" + name, 42, DateTimeOffset.UtcNow),
        Recipients = Enumerable.Range(0, recipients).Select(i => new QueuedRecipient($"r{i}@example.net")).ToArray(),
    };
}
