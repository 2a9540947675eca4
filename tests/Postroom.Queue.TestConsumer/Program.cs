// A delivery worker that leases one entry and then hangs, for the crash tests: the test kills it
// with SIGKILL while it holds the lease and checks that the lease expires and is re-leased once.
//
// Usage: Postroom.Queue.TestConsumer --redis host:port --prefix <key prefix> [--partitions n] [--visibility-ms ms]
// Prints "LEASED <id> <lease count> <lease expiry, Unix ms>" once it holds a lease, then blocks
// forever; prints "NOTHING" and exits 2 if nothing was due within 20 s.
//
// Usage: Postroom.Queue.TestConsumer host-garnet <data directory> [per-write|group]
// Starts an embedded Garnet on a free port with the given commit mode, prints
// "READY <port>" and blocks forever, so a test can SIGKILL the server process.
using System.Globalization;
using Postroom.EmbeddedRedis;
using Postroom.Queue;
using StackExchange.Redis;

if (args is ["host-garnet", var dataDirectory, .. var mode])
{
    var commitMode = mode is ["group"] ? GarnetCommitMode.Group : GarnetCommitMode.PerWrite;
    var server = EmbeddedGarnetServer.Start(new EmbeddedGarnetOptions { DataDirectory = dataDirectory, MemorySize = "64m", CheckpointOnDispose = false, CommitMode = commitMode });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"READY {server.Port}"));
    Console.Out.Flush();
    await Task.Delay(Timeout.Infinite);
    GC.KeepAlive(server);
}

string? endpoint = null;
var prefix = "postroom:queue";
var partitions = 1;
var visibility = TimeSpan.FromSeconds(2);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--redis": endpoint = args[i + 1]; break;
        case "--prefix": prefix = args[i + 1]; break;
        case "--partitions": partitions = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--visibility-ms": visibility = TimeSpan.FromMilliseconds(int.Parse(args[i + 1], CultureInfo.InvariantCulture)); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 64;
    }
}

if (endpoint is null)
{
    Console.Error.WriteLine("--redis host:port is required");
    return 64;
}

using var redis = await ConnectionMultiplexer.ConnectAsync(endpoint);
var queue = new RedisMailQueue(redis, new RedisMailQueueOptions { KeyPrefix = prefix, PartitionCount = partitions });
var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
while (DateTime.UtcNow < deadline)
{
    var leases = await queue.LeaseAsync(1, visibility);
    if (leases.Count == 1)
    {
        var lease = leases[0];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"LEASED {lease.Id} {lease.Entry.LeaseCount} {lease.ExpiresAt.ToUnixTimeMilliseconds()}"));
        Console.Out.Flush();

        // "Deliver" forever: the test kills us here, holding the lease.
        await Task.Delay(Timeout.Infinite);
    }

    await Task.Delay(50);
}

Console.WriteLine("NOTHING");
return 2;
