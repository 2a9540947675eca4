using Postroom.EmbeddedRedis;
using Postroom.Testing;
using StackExchange.Redis;

namespace Postroom.Queue.Tests;

/// <summary>A queue backend for the contract tests: a server and a connection to it.</summary>
public interface IQueueBackend
{
    string EndPoint { get; }

    IConnectionMultiplexer Connection { get; }
}

/// <summary>Connection settings for tests: generous timeouts, since test classes run in parallel on small machines.</summary>
public static class TestConnections
{
    public static Task<ConnectionMultiplexer> ConnectAsync(string endpoint, bool admin = false) =>
        ConnectionMultiplexer.ConnectAsync($"{endpoint},syncTimeout=30000,asyncTimeout=30000,connectTimeout=30000{(admin ? ",allowAdmin=true" : "")}");
}

/// <summary>A real redis-server child process (AOF, appendfsync always), shared by one test class.</summary>
public sealed class RedisBackendFixture : IQueueBackend, IAsyncLifetime
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _connection;

    public string EndPoint => _server!.EndPoint;

    public IConnectionMultiplexer Connection => _connection!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _connection = await TestConnections.ConnectAsync(_server.EndPoint);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _server?.Dispose();
    }
}

/// <summary>
/// An in-process Garnet with the embedded host's settings, shared by one test class. It uses the
/// faster O_DIRECT device: these suites test queue semantics; GarnetDurabilityTests covers the
/// default O_SYNC device.
/// </summary>
public sealed class GarnetBackendFixture : IQueueBackend, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postroom-garnet-" + Guid.NewGuid().ToString("N"));
    private EmbeddedGarnetServer? _server;
    private ConnectionMultiplexer? _connection;

    public string EndPoint => _server!.EndPoint;

    public IConnectionMultiplexer Connection => _connection!;

    public async Task InitializeAsync()
    {
        _server = await EmbeddedGarnetServer.StartAsync(new EmbeddedGarnetOptions { DataDirectory = _directory, MemorySize = "64m", CheckpointOnDispose = false, Device = GarnetFileDevice.DirectFile });
        _connection = await TestConnections.ConnectAsync(_server.EndPoint);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
