using Postroom.EmbeddedRedis;
using StackExchange.Redis;
using Xunit;

namespace Postroom.Testing;

/// <summary>Connections with generous timeouts: a loaded 2-core CI machine must not fail a test on a slow reply.</summary>
public static class TestConnections
{
    public static Task<ConnectionMultiplexer> ConnectAsync(string endpoint, bool admin = false) =>
        ConnectionMultiplexer.ConnectAsync($"{endpoint},syncTimeout=30000,asyncTimeout=30000,connectTimeout=30000{(admin ? ",allowAdmin=true" : "")}");
}

/// <summary>A Redis-protocol server and a connection to it, shared by one test class.</summary>
public interface IRedisFixture
{
    string EndPoint { get; }

    IConnectionMultiplexer Connection { get; }
}

/// <summary>A real Debian <c>redis-server</c> child process (AOF, appendfsync always).</summary>
public sealed class RedisFixture : IRedisFixture, IAsyncLifetime
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _connection;

    public string EndPoint => _server!.EndPoint;

    public IConnectionMultiplexer Connection => _connection!;

    public RedisServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync().ConfigureAwait(false);
        _connection = await TestConnections.ConnectAsync(_server.EndPoint).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _server?.Dispose();
    }
}

/// <summary>
/// An in-process Garnet with the all-in-one host's settings, except the faster O_DIRECT device: fixtures
/// test semantics; the queue's GarnetDurabilityTests cover the O_SYNC device and kill -9.
/// </summary>
public sealed class GarnetFixture : IRedisFixture, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postroom-garnet-" + Guid.NewGuid().ToString("N"));
    private EmbeddedGarnetServer? _server;
    private ConnectionMultiplexer? _connection;

    public string EndPoint => _server!.EndPoint;

    public IConnectionMultiplexer Connection => _connection!;

    public async Task InitializeAsync()
    {
        _server = await EmbeddedGarnetServer.StartAsync(new EmbeddedGarnetOptions { DataDirectory = _directory, MemorySize = "64m", CheckpointOnDispose = false, Device = GarnetFileDevice.DirectFile }).ConfigureAwait(false);
        _connection = await TestConnections.ConnectAsync(_server.EndPoint).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Garnet may still hold a log file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
