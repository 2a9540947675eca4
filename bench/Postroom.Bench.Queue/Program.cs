// Queue throughput: N producers enqueue entries while M consumers lease and complete them, on a
// real redis-server (AOF, appendfsync always) and on embedded Garnet. One unit of work = enqueue +
// lease + complete of one entry.
//
// Options: --entries 20000 --producers 8 --consumers 8 --recipients 3 --partitions 1
//          --batch 10 (max entries per lease) --backend all|redis|garnet|garnet-per-write|garnet-direct|garnet-async
//          --sync-entries 2000 --direct-entries 10000 (caps for the disk-bound per-write Garnet runs)
// "garnet" is the all-in-one host's setting: O_SYNC files and group commit (COMMITAOF after each
// write, shared by all writes in flight). "garnet-per-write" commits each operation on its own;
// "garnet-direct" (O_DIRECT, no fsync) and "garnet-async" (nobody waits) are weaker, for comparison.
using System.Diagnostics;
using System.Globalization;
using Postroom.EmbeddedRedis;
using Postroom.Queue;
using Postroom.Testing;
using StackExchange.Redis;

var settings = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["entries"] = "20000",
    ["producers"] = "8",
    ["consumers"] = "8",
    ["recipients"] = "3",
    ["partitions"] = "1",
    ["batch"] = "10",
    ["backend"] = "all",
    ["sync-entries"] = "2000",
    ["direct-entries"] = "10000",
};
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var name = args[i].TrimStart('-');
    if (!settings.ContainsKey(name))
    {
        Console.Error.WriteLine($"unknown option {args[i]}; options: {string.Join(", ", settings.Keys.Select(k => "--" + k))}");
        return 64;
    }

    settings[name] = args[i + 1];
}

int Int(string name) => int.Parse(settings[name], CultureInfo.InvariantCulture);
var config = new BenchConfig(Int("entries"), Int("producers"), Int("consumers"), Int("recipients"), Int("partitions"), Int("batch"));
var backend = settings["backend"];

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{config.Entries} entries x {config.Recipients} recipients, {config.Producers} producers, {config.Consumers} consumers, {config.Partitions} partition(s), lease batch {config.Batch}, {Environment.ProcessorCount} CPUs"));
var results = new List<BenchResult>();

if (backend is "all" or "redis")
{
    await using var redis = await RedisServer.StartAsync();
    results.Add(await Bench.RunAsync("redis 7 (AOF always)", redis.EndPoint, config));
}

// Embedded Garnet: the host's setting (O_SYNC files), then two faster, weaker ones for comparison.
var garnetRuns = new (string Key, string Name, GarnetFileDevice Device, GarnetCommitMode Mode, string? EntriesCap)[]
{
    ("garnet", "garnet (O_SYNC, group commit)", GarnetFileDevice.SyncFile, GarnetCommitMode.Group, null),
    ("garnet-per-write", "garnet (O_SYNC, commit per write)", GarnetFileDevice.SyncFile, GarnetCommitMode.PerWrite, "sync-entries"),
    ("garnet-direct", "garnet (O_DIRECT, commit per write)", GarnetFileDevice.DirectFile, GarnetCommitMode.PerWrite, "direct-entries"),
    ("garnet-async", "garnet (async commit 100ms)", GarnetFileDevice.DirectFile, GarnetCommitMode.Background, null),
};
foreach (var run in garnetRuns)
{
    if (backend != "all" && backend != run.Key)
    {
        continue;
    }

    var directory = Path.Combine(Path.GetTempPath(), "postroom-bench-garnet-" + Guid.NewGuid().ToString("N"));
    try
    {
        var options = new EmbeddedGarnetOptions { DataDirectory = directory, CheckpointOnDispose = false, CommitMode = run.Mode, Device = run.Device };
        await using (var garnet = await EmbeddedGarnetServer.StartAsync(options))
        {
            // A disk write per commit makes the durable runs slow; cap them to keep the total short.
            var runConfig = run.EntriesCap is { } cap ? config with { Entries = Math.Min(config.Entries, Int(cap)) } : config;
            results.Add(await Bench.RunAsync(run.Name, garnet.EndPoint, runConfig, groupCommit: run.Mode == GarnetCommitMode.Group));
        }
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }
}

Console.WriteLine();
Console.WriteLine($"{"backend",-32} {"entries",8} {"seconds",8} {"entries/s",10} {"enq p50 ms",11} {"enq p99 ms",11} {"cmpl p50 ms",12} {"cmpl p99 ms",12}");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{r.Backend,-32} {r.Entries,8} {r.Seconds,8:F2} {r.Entries / r.Seconds,10:F0} {r.EnqueueP50,11:F2} {r.EnqueueP99,11:F2} {r.CompleteP50,12:F2} {r.CompleteP99,12:F2}"));
}

return 0;

internal sealed record BenchConfig(int Entries, int Producers, int Consumers, int Recipients, int Partitions, int Batch);

internal sealed record BenchResult(string Backend, int Entries, double Seconds, double EnqueueP50, double EnqueueP99, double CompleteP50, double CompleteP99);

internal static class Bench
{
    public static async Task<BenchResult> RunAsync(string name, string endpoint, BenchConfig config, bool groupCommit = false)
    {
        // Ingress and delivery are separate processes in production: give each side its own connection.
        await using var ingress = await ConnectionMultiplexer.ConnectAsync(endpoint);
        await using var delivery = await ConnectionMultiplexer.ConnectAsync(endpoint);
        await using var commits = await ConnectionMultiplexer.ConnectAsync(endpoint);
        var barrier = groupCommit ? new AofGroupCommit(commits) : null;
        var options = new RedisMailQueueOptions { KeyPrefix = "bench:" + Guid.NewGuid().ToString("N"), PartitionCount = config.Partitions };
        var producerQueue = new RedisMailQueue(ingress, options, durability: barrier);
        var consumerQueue = new RedisMailQueue(delivery, options, durability: barrier);

        // Warm up (script loading, connections).
        var warm = await producerQueue.EnqueueAsync(Entry(config.Recipients, -1));
        foreach (var lease in await consumerQueue.LeaseAsync(10, TimeSpan.FromMinutes(1)))
        {
            await consumerQueue.CompleteAsync(lease, [.. Enumerable.Range(0, config.Recipients).Select(i => RecipientOutcome.Delivered(i))]);
        }

        _ = warm;
        var enqueueMs = new double[config.Entries];
        var completeMs = new List<double>(config.Entries);
        var completed = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();

        var producers = Enumerable.Range(0, config.Producers).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < config.Entries)
            {
                var start = Stopwatch.GetTimestamp();
                await producerQueue.EnqueueAsync(Entry(config.Recipients, n));
                enqueueMs[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })).ToArray();

        var consumers = Enumerable.Range(0, config.Consumers).Select(_ => Task.Run(async () =>
        {
            var outcomes = Enumerable.Range(0, config.Recipients).Select(i => RecipientOutcome.Delivered(i, "250 2.0.0 Ok")).ToArray();
            var mine = new List<double>();
            while (Volatile.Read(ref completed) < config.Entries)
            {
                var leases = await consumerQueue.LeaseAsync(config.Batch, TimeSpan.FromMinutes(1));
                if (leases.Count == 0)
                {
                    await Task.Delay(1);
                    continue;
                }

                foreach (var lease in leases)
                {
                    var start = Stopwatch.GetTimestamp();
                    var result = await consumerQueue.CompleteAsync(lease, outcomes);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (result.Status != CompletionStatus.Finished)
                    {
                        throw new InvalidOperationException($"unexpected completion {result.Status} for {lease.Id}");
                    }

                    Interlocked.Increment(ref completed);
                }
            }

            lock (completeMs)
            {
                completeMs.AddRange(mine);
            }
        })).ToArray();

        await Task.WhenAll(producers.Concat(consumers));
        clock.Stop();

        var stats = await producerQueue.GetStatsAsync();
        if (stats.Total != 0)
        {
            throw new InvalidOperationException($"queue not empty after the run: {stats}");
        }

        Array.Sort(enqueueMs);
        completeMs.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {config.Entries} entries in {clock.Elapsed.TotalSeconds:F2} s"));
        return new BenchResult(name, config.Entries, clock.Elapsed.TotalSeconds, Percentile(enqueueMs, 0.50), Percentile(enqueueMs, 0.99), Percentile(completeMs, 0.50), Percentile(completeMs, 0.99));
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static NewQueueEntry Entry(int recipients, int n) => new()
    {
        Envelope = new Envelope("sender@example.org", "bench/" + n.ToString(CultureInfo.InvariantCulture), 4096, DateTimeOffset.UtcNow)
        {
            Attributes = new Dictionary<string, string> { [EnvelopeAttributes.ClientIp] = "192.0.2.1" },
        },
        Recipients = Enumerable.Range(0, recipients).Select(i => new QueuedRecipient(string.Create(CultureInfo.InvariantCulture, $"user{i}@example.net"))).ToArray(),
    };
}
