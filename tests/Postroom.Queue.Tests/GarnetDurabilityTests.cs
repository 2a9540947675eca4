using System.Diagnostics;
using Postroom.EmbeddedRedis;
using Postroom.Testing;

namespace Postroom.Queue.Tests;

/// <summary>Embedded Garnet restarted on the same data directory: gracefully, and after SIGKILL.</summary>
public sealed class GarnetDurabilityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postroom-garnet-durable-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Entries_survive_a_restart_on_the_same_data_directory(bool checkpointOnDispose)
    {
        var options = new EmbeddedGarnetOptions { DataDirectory = _directory, MemorySize = "64m", CheckpointOnDispose = checkpointOnDispose };
        var queueOptions = new RedisMailQueueOptions { KeyPrefix = "restart", PartitionCount = 2 };
        var written = new List<QueueId>();
        QueueLease lease;

        await using (var server = await EmbeddedGarnetServer.StartAsync(options))
        await using (var connection = await TestConnections.ConnectAsync(server.EndPoint))
        {
            var queue = new RedisMailQueue(connection, queueOptions);
            for (var i = 0; i < 20; i++)
            {
                written.Add(await queue.EnqueueAsync(RedisDurabilityTests.Entry("restart" + i, recipients: 2)));
            }

            lease = (await queue.LeaseAsync(20, TimeSpan.FromHours(1))).First(l => l.Id == written[0]);
            Assert.Equal(CompletionStatus.Rescheduled, (await queue.CompleteAsync(lease, [RecipientOutcome.Delivered(1)])).Status);
        }

        var checkpoints = Path.Combine(_directory, "checkpoints");
        Assert.True(Directory.Exists(checkpoints));
        Assert.Equal(checkpointOnDispose, Directory.EnumerateFiles(checkpoints, "*", SearchOption.AllDirectories).Any(f => f.Contains("cpr-checkpoints", StringComparison.Ordinal)));

        await using (var server = await EmbeddedGarnetServer.StartAsync(options))
        await using (var connection = await TestConnections.ConnectAsync(server.EndPoint))
        {
            var queue = new RedisMailQueue(connection, queueOptions);
            var listed = new List<QueueEntry>();
            await foreach (var e in queue.ListAsync())
            {
                listed.Add(e);
            }

            Assert.Equal(written.Order(), listed.Select(e => e.Id).Order());
            var first = listed.Single(e => e.Id == written[0]);
            Assert.Equal(RecipientStatus.Delivered, first.Recipients[1].State.Status);
            Assert.Equal(RecipientStatus.Scheduled, first.Recipients[0].State.Status);
            Assert.Equal("bodies/restart0", first.Envelope.BodyKey);
            Assert.All(listed.Where(e => e.Id != written[0]), e => Assert.Equal(1, e.LeaseCount));
            Assert.Equal(20, (await queue.GetStatsAsync()).Total);

            // The recovered queue keeps working.
            var again = await queue.LeaseAsync(1, TimeSpan.FromMinutes(1));
            Assert.Equal(written[0], Assert.Single(again).Id);
            Assert.Equal(CompletionStatus.Finished, (await queue.CompleteAsync(again[0], [RecipientOutcome.Delivered(0)])).Status);
        }
    }

    [Theory]
    [InlineData("per-write")]
    [InlineData("group")]
    public async Task Acknowledged_writes_survive_kill_9_of_the_garnet_process(string commitMode)
    {
        // Garnet runs in a child process (the test consumer's host-garnet mode), so it can be killed for real.
        using var host = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ConsumerCrashContract.ConsumerPath(), "host-garnet", _directory, commitMode },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var written = new List<QueueId>();
        QueueLease lease;
        try
        {
            var line = await host.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("READY ", line, StringComparison.Ordinal);
            var endpoint = "127.0.0.1:" + line!["READY ".Length..];

            await using var connection = await TestConnections.ConnectAsync(endpoint);
            await using var commits = await TestConnections.ConnectAsync(endpoint);
            // In group mode Garnet acknowledges before committing; the queue waits for a group commit.
            var barrier = commitMode == "group" ? new AofGroupCommit(commits) : null;
            var queue = new RedisMailQueue(connection, new RedisMailQueueOptions { KeyPrefix = "kill" }, durability: barrier);
            for (var i = 0; i < 50; i++)
            {
                written.Add(await queue.EnqueueAsync(RedisDurabilityTests.Entry("kill" + i, recipients: 1)));
            }

            lease = Assert.Single(await queue.LeaseAsync(1, TimeSpan.FromHours(1)));
            Assert.Equal(CompletionStatus.Finished, (await queue.CompleteAsync(lease, [RecipientOutcome.Delivered(0)])).Status);

            // The last acknowledgement is in; kill the server without any shutdown.
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }

        await using var server = await EmbeddedGarnetServer.StartAsync(new EmbeddedGarnetOptions { DataDirectory = _directory, MemorySize = "64m" });
        await using var after = await TestConnections.ConnectAsync(server.EndPoint);
        var recovered = new RedisMailQueue(after, new RedisMailQueueOptions { KeyPrefix = "kill" });
        var ids = new List<QueueId>();
        await foreach (var e in recovered.ListAsync())
        {
            ids.Add(e.Id);
        }

        Assert.Equal(written.Where(id => id != lease.Id).Order(), ids.Order());
        Assert.Null(await recovered.GetAsync(lease.Id));
        Assert.Equal(49, (await recovered.GetStatsAsync()).Due);
    }
}
