using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Config.Snapshot;
using StackExchange.Redis;

namespace Postroom.Hosting.Config;

/// <summary>
/// A cluster service's configuration: the snapshot the operator publishes to Redis. A change notification
/// on a channel brings a new one within a moment; a poll catches a missed notification. When Redis or the
/// operator is away, the last good snapshot keeps serving.
/// </summary>
public sealed partial class RedisConfigSnapshotSource(IConnectionMultiplexer redis, ILogger<RedisConfigSnapshotSource> logger) : BackgroundService, IConfigSnapshotSource
{
    /// <summary>The snapshot JSON. Written by the operator together with <see cref="VersionKey"/>.</summary>
    public const string SnapshotKey = "postroom:config:{snapshot}:json";

    public const string VersionKey = "postroom:config:{snapshot}:version";

    /// <summary>Published with the new version after every change.</summary>
    public static readonly RedisChannel ChangedChannel = RedisChannel.Literal("postroom:config:changed");

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private ConfigSnapshot _current = ConfigSnapshot.Empty;

    public ConfigSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Reads the published snapshot if its version differs from the one in use.</summary>
    public async Task RefreshAsync()
    {
        var db = redis.GetDatabase();
        var version = await db.StringGetAsync(VersionKey).ConfigureAwait(false);
        if (version.IsNullOrEmpty || version == Current.Version)
        {
            return;
        }

        var json = await db.StringGetAsync(SnapshotKey).ConfigureAwait(false);
        if (json.IsNullOrEmpty)
        {
            return;
        }

        var snapshot = ConfigSnapshot.FromJson(json.ToString());
        Volatile.Write(ref _current, snapshot);
        Loaded(logger, snapshot.Version, snapshot.Domains.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changed = new SemaphoreSlim(0);
        var subscriber = redis.GetSubscriber();
        await subscriber.SubscribeAsync(ChangedChannel, (_, _) => changed.Release()).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or System.Text.Json.JsonException or TimeoutException)
            {
                RefreshFailed(logger, Current.Version, e.Message);
            }

            await changed.WaitAsync(PollInterval, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "configuration snapshot {Version} loaded: {Domains} domains")]
    private static partial void Loaded(ILogger logger, string version, int domains);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "could not refresh the configuration, keeping snapshot {Version}: {Error}")]
    private static partial void RefreshFailed(ILogger logger, string version, string error);
}
