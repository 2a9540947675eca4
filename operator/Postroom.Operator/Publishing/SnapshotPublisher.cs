using Postroom.Config.Snapshot;
using Postroom.Hosting.Config;
using Postroom.Operator.Reconciliation;
using StackExchange.Redis;

namespace Postroom.Operator.Publishing;

/// <summary>
/// Writes the compiled snapshot where every service reads it (<see cref="RedisConfigSnapshotSource"/>): the JSON and
/// its version in one MULTI/EXEC, then a notification on the change channel. The last good spec of every
/// resource goes into the same transaction, so an operator restarted later still has it.
/// </summary>
public sealed class SnapshotPublisher(IConnectionMultiplexer redis)
{
    /// <summary>Hash of "namespace/name" → <see cref="LastGoodSpec"/> JSON; same hash slot as the snapshot keys.</summary>
    public const string LastGoodKey = "postroom:operator:{snapshot}:last-good";

    private Dictionary<string, string>? _lastGood;

    /// <summary>The last good specs persisted by this or an earlier operator.</summary>
    public async Task<Dictionary<string, LastGoodSpec>> LoadLastGoodAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(LastGoodKey);
        _lastGood = entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        var result = new Dictionary<string, LastGoodSpec>(StringComparer.Ordinal);
        foreach (var (key, json) in _lastGood)
        {
            if (LastGoodSpec.FromJson(json) is { } spec)
            {
                result[key] = spec;
            }
        }

        return result;
    }

    /// <summary>Publishes when the snapshot or a last good spec changed; returns true when something was written.</summary>
    public async Task<bool> PublishAsync(ConfigSnapshot snapshot, IReadOnlyDictionary<string, LastGoodSpec> lastGood)
    {
        var db = redis.GetDatabase();
        var published = await db.StringGetAsync(RedisConfigSnapshotSource.VersionKey);
        var wanted = lastGood.ToDictionary(p => p.Key, p => p.Value.ToJson(), StringComparer.Ordinal);
        _lastGood ??= (await db.HashGetAllAsync(LastGoodKey)).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        var snapshotChanged = published != snapshot.Version;
        var stale = _lastGood.Keys.Where(k => !wanted.ContainsKey(k)).ToList();
        var changedSpecs = wanted.Where(p => !_lastGood.TryGetValue(p.Key, out var old) || old != p.Value).ToList();
        if (!snapshotChanged && stale.Count == 0 && changedSpecs.Count == 0)
        {
            return false;
        }

        var transaction = db.CreateTransaction();
        if (snapshotChanged)
        {
            _ = transaction.StringSetAsync(RedisConfigSnapshotSource.SnapshotKey, snapshot.Json);
            _ = transaction.StringSetAsync(RedisConfigSnapshotSource.VersionKey, snapshot.Version);
        }

        if (stale.Count > 0)
        {
            _ = transaction.HashDeleteAsync(LastGoodKey, stale.Select(k => (RedisValue)k).ToArray());
        }

        if (changedSpecs.Count > 0)
        {
            _ = transaction.HashSetAsync(LastGoodKey, changedSpecs.Select(p => new HashEntry(p.Key, p.Value)).ToArray());
        }

        if (!await transaction.ExecuteAsync())
        {
            throw new RedisException("the snapshot transaction was not applied");
        }

        _lastGood = wanted;
        if (snapshotChanged)
        {
            await redis.GetSubscriber().PublishAsync(RedisConfigSnapshotSource.ChangedChannel, snapshot.Version);
        }

        return snapshotChanged;
    }
}
