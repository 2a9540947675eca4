using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Postroom.Testing;

namespace Postroom.Queue.Tests;

/// <summary>
/// A worker process that dies while holding a lease: it is really killed (SIGKILL), and the lease
/// must run out and go to exactly one of several competing workers. Uses real time.
/// </summary>
public abstract class ConsumerCrashContract
{
    private readonly IRedisFixture _backend;

    protected ConsumerCrashContract(IRedisFixture backend) => _backend = backend;

    protected abstract int PartitionCount { get; }

    [Fact]
    public async Task A_killed_workers_lease_expires_and_goes_to_exactly_one_new_lessee()
    {
        var prefix = "crash:" + Guid.NewGuid().ToString("N");
        var options = new RedisMailQueueOptions { KeyPrefix = prefix, PartitionCount = PartitionCount };
        var producer = new RedisMailQueue(_backend.Connection, options);
        var id = await producer.EnqueueAsync(new NewQueueEntry
        {
            Envelope = new Envelope("alice@example.org", "bodies/crash", 10, DateTimeOffset.UtcNow),
            Recipients = [new QueuedRecipient("bob@example.net")],
        });

        using var consumer = StartConsumer(prefix, TimeSpan.FromSeconds(3));
        string? line;
        try
        {
            line = await consumer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            consumer.Kill(entireProcessTree: true);
            throw;
        }

        var parts = line?.Split(' ') ?? [];
        Assert.True(parts is ["LEASED", _, _, _], $"consumer said '{line}', stderr: {await ReadErrorsAsync(consumer)}");
        Assert.Equal(id.Value, parts[1]);
        Assert.Equal("1", parts[2]);
        var leaseExpiry = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[3], CultureInfo.InvariantCulture));

        // SIGKILL: no finally blocks, no goodbye. The lease is all that is left of the worker.
        consumer.Kill(entireProcessTree: true);
        await consumer.WaitForExitAsync();
        Assert.True(consumer.HasExited);
        Assert.NotEqual(0, consumer.ExitCode);

        // Competing workers, each with its own connection as separate processes would have.
        var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestConnections.ConnectAsync(_backend.EndPoint)));
        try
        {
            var workers = connections.Select(c => new RedisMailQueue(c, options)).ToArray();

            // Before the lease runs out nobody gets the entry.
            var early = await Task.WhenAll(workers.Select(w => w.LeaseAsync(10, TimeSpan.FromMinutes(5))));
            var checkedAt = DateTimeOffset.UtcNow;
            Assert.All(early, Assert.Empty);
            Assert.True(checkedAt < leaseExpiry - TimeSpan.FromMilliseconds(200), $"the early check ran at {checkedAt:O}, too close to the lease expiry {leaseExpiry:O} to mean anything");
            var stats = await producer.GetStatsAsync();
            Assert.Equal(1, stats.Leased);

            // After it runs out exactly one of them gets it, exactly once: they keep competing
            // until one has it and for another second after (or give up 15 s after the expiry).
            var won = new ConcurrentBag<QueueLease>();
            var giveUpAt = leaseExpiry + TimeSpan.FromSeconds(15);
            var stopAtMs = long.MaxValue;
            await Task.WhenAll(workers.Select(w => Task.Run(async () =>
            {
                while (DateTimeOffset.UtcNow < giveUpAt && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < Interlocked.Read(ref stopAtMs))
                {
                    foreach (var lease in await w.LeaseAsync(10, TimeSpan.FromMinutes(5)))
                    {
                        won.Add(lease);
                        Interlocked.CompareExchange(ref stopAtMs, DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds(), long.MaxValue);
                    }

                    await Task.Delay(10);
                }
            })));

            var winner = Assert.Single(won);
            Assert.Equal(id, winner.Id);
            Assert.Equal(2, winner.Entry.LeaseCount);
            Assert.True(DateTimeOffset.UtcNow >= leaseExpiry);
            var entry = await producer.GetAsync(id);
            Assert.Equal(2, entry!.LeaseCount);
            Assert.Equal(winner.ExpiresAt, entry.LeaseExpiresAt);

            Assert.Equal(CompletionStatus.Finished, (await workers[0].CompleteAsync(winner, [RecipientOutcome.Delivered(0)])).Status);
            Assert.Null(await producer.GetAsync(id));
        }
        finally
        {
            foreach (var c in connections)
            {
                await c.DisposeAsync();
            }
        }
    }

    private Process StartConsumer(string prefix, TimeSpan visibility)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            ConsumerPath(), "--redis", _backend.EndPoint, "--prefix", prefix,
            "--partitions", PartitionCount.ToString(CultureInfo.InvariantCulture),
            "--visibility-ms", ((int)visibility.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the test consumer");
    }

    private static async Task<string> ReadErrorsAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        return await process.StandardError.ReadToEndAsync();
    }

    /// <summary>
    /// The consumer is built (not referenced) by this test project into
    /// tests/Postroom.Queue.TestConsumer/bin/&lt;Configuration&gt;/&lt;tfm&gt;/, next to this project's own bin.
    /// </summary>
    internal static string ConsumerPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var testsDirectory = output.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(testsDirectory, "Postroom.Queue.TestConsumer", "bin", configuration, tfm, "Postroom.Queue.TestConsumer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The test consumer was not built.", path);
    }
}
