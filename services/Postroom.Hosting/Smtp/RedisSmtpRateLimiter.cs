using System.Globalization;
using System.Net;
using Postroom.Smtp.Session;
using StackExchange.Redis;

namespace Postroom.Hosting.Smtp;

/// <summary>
/// SMTP limits kept in Redis so they hold across every smtp-ingress replica. Each key carries its own hash
/// tag, so the scripts run on Redis Cluster too. A limit of zero costs no round trip.
/// </summary>
/// <param name="redis">The shared Redis.</param>
/// <param name="settings">The limits; zero turns one off.</param>
/// <param name="time">The clock.</param>
/// <param name="sessionTimeout">How long a connection slot lives at most.</param>
/// <param name="keyPrefix">Keeps each protocol's counters apart (<c>postroom:smtp</c>, <c>postroom:pop3</c>).</param>
public sealed class RedisSmtpRateLimiter(IConnectionMultiplexer redis, SmtpRateLimitSettings settings, TimeProvider time, TimeSpan sessionTimeout, string keyPrefix = "postroom:smtp") : ISmtpRateLimiter
{
    // A connection slot is a sorted-set member scored with the time it lapses, so a replica that dies
    // without releasing its slots blocks nobody for longer than the session timeout.
    private static readonly LuaScript AcquireSlot = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', @now)
        if redis.call('ZCARD', @key) >= tonumber(@limit) then return 0 end
        redis.call('ZADD', @key, @lapse, @member)
        redis.call('PEXPIREAT', @key, @lapse)
        return 1
        """);

    private IDatabase Db => redis.GetDatabase();

    public async Task<IAsyncDisposable?> TryAcquireConnectionAsync(IPAddress address, CancellationToken cancellationToken)
    {
        if (settings.ConnectionsPerIp <= 0)
        {
            return NoSlot.Instance;
        }

        var key = (RedisKey)$"{keyPrefix}:conn:{{{address}}}";
        var member = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var acquired = (int)await Db.ScriptEvaluateAsync(AcquireSlot, new
        {
            key,
            now,
            limit = settings.ConnectionsPerIp,
            lapse = now + (long)sessionTimeout.TotalMilliseconds,
            member,
        }).ConfigureAwait(false);
        return acquired == 1 ? new Slot(Db, key, member) : null;
    }

    public async Task<bool> TryCountMessageAsync(IPAddress address, string? user, CancellationToken cancellationToken)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        if (settings.MessagesPerMinutePerIp > 0
            && await CountAsync($"{keyPrefix}:rate:{{ip:{address}}}:{minute}", TimeSpan.FromMinutes(2)).ConfigureAwait(false) > settings.MessagesPerMinutePerIp)
        {
            return false;
        }

        return user is null
            || settings.MessagesPerMinutePerUser <= 0
            || await CountAsync($"{keyPrefix}:rate:{{user:{user}}}:{minute}", TimeSpan.FromMinutes(2)).ConfigureAwait(false) <= settings.MessagesPerMinutePerUser;
    }

    public async Task<bool> IsAuthThrottledAsync(IPAddress address, CancellationToken cancellationToken)
    {
        if (settings.AuthFailuresPerIp <= 0)
        {
            return false;
        }

        var failures = await Db.StringGetAsync(AuthKey(address)).ConfigureAwait(false);
        return failures.HasValue && long.Parse(failures.ToString(), CultureInfo.InvariantCulture) >= settings.AuthFailuresPerIp;
    }

    public async Task RecordAuthFailureAsync(IPAddress address, CancellationToken cancellationToken)
    {
        if (settings.AuthFailuresPerIp > 0)
        {
            // The window starts at the first failure and is not extended by later ones.
            var key = AuthKey(address);
            var transaction = Db.CreateTransaction();
            _ = transaction.StringIncrementAsync(key);
            _ = transaction.KeyExpireAsync(key, settings.AuthFailureWindow, ExpireWhen.HasNoExpiry);
            await transaction.ExecuteAsync().ConfigureAwait(false);
        }
    }

    private RedisKey AuthKey(IPAddress address) => $"{keyPrefix}:authfail:{{{address}}}";

    private async Task<long> CountAsync(string key, TimeSpan ttl)
    {
        var transaction = Db.CreateTransaction();
        var count = transaction.StringIncrementAsync(key);
        _ = transaction.KeyExpireAsync(key, ttl, ExpireWhen.HasNoExpiry);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        return await count.ConfigureAwait(false);
    }

    private sealed class Slot(IDatabase db, RedisKey key, string member) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await db.SortedSetRemoveAsync(key, member).ConfigureAwait(false);
    }

    private sealed class NoSlot : IAsyncDisposable
    {
        public static readonly NoSlot Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
