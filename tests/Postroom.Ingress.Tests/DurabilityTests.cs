using MailKit.Security;
using Postroom.Queue;
using Postroom.Storage;
using Postroom.Testing;
using StackExchange.Redis;

namespace Postroom.Ingress.Tests;

/// <summary>"250 means stored": a crash right after the reply loses nothing, a crash before it commits nothing.</summary>
/// <remarks>A restarted host binds its old ports again; run alone so no parallel test takes them meanwhile.</remarks>
[Collection(RestartCollection.Name)]
public sealed class DurabilityTests
{
    [Fact]
    public async Task Kill_9_right_after_250_loses_nothing()
    {
        await using var host = await PostroomHost.StartAsync();
        var fixture = new { host.DataDirectory };
        string reply;
        using (var client = new MailKit.Net.Smtp.SmtpClient())
        {
            // A remote forward stays queued, so the entry is there to inspect after the restart.
            reply = await HostFixture.SendAsync(client, host.MxPort, SecureSocketOptions.None, HostFixture.Message("alice@remote.example", "jeff@example.com", "crash right after"));
        }

        await host.KillAsync();
        await host.RestartAsync();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.GarnetEndPoint);
        var entry = await new RedisMailQueue(redis).GetAsync(HostFixture.QueueIdFrom(reply));
        Assert.NotNull(entry);
        var blobs = new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = Path.Combine(fixture.DataDirectory, "blobs") });
        Assert.Equal(entry.Envelope.BodySize, (await blobs.StatAsync(entry.Envelope.BodyKey, CancellationToken.None))?.Length);
    }

    [Fact]
    public async Task Kill_9_during_data_commits_nothing()
    {
        await using var host = await PostroomHost.StartAsync();
        await using (var client = await RawSmtpClient.ConnectAsync(host.MxPort))
        {
            await client.ReadReplyAsync();
            await client.CommandAsync("HELO client.example");
            await client.CommandAsync("MAIL FROM:<alice@remote.example>");
            await client.CommandAsync("RCPT TO:<jane@example.com>");
            Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
            await client.SendAsync("Subject: never finished\r\n\r\n" + new string('x', 200_000) + "\r\n");
            await host.KillAsync();
        }

        await host.RestartAsync();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.GarnetEndPoint);
        Assert.Equal(0, (await new RedisMailQueue(redis).GetStatsAsync()).Total);
        var blobs = new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = Path.Combine(host.DataDirectory, "blobs") });
        Assert.Empty(await blobs.ListAsync("", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Sigterm_tells_idle_sessions_421_and_exits()
    {
        await using var host = await PostroomHost.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(host.MxPort);
        Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
        await client.CommandAsync("HELO client.example");

        var stop = host.StopGracefullyAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("421 4.3.2", await client.ReadReplyAsync(), StringComparison.Ordinal);
        await stop;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RestartCollection
{
    public const string Name = "host restarts";
}
