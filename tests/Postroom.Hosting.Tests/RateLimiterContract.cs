using System.Net;
using Postroom.Hosting.Smtp;
using Postroom.Testing;

namespace Postroom.Hosting.Tests;

/// <summary>The SMTP limits hold across replicas because they live in Redis: the same suite on Redis and Garnet.</summary>
public abstract class RateLimiterContract(IRedisFixture fixture)
{
    private readonly ManualTime _time = new(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static IPAddress NewAddress() => IPAddress.Parse($"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");

    private RedisSmtpRateLimiter Limiter(SmtpRateLimitSettings settings) => new(fixture.Connection, settings, _time, TimeSpan.FromMinutes(30));

    [Fact]
    public async Task Connection_slots_are_limited_per_address_and_released()
    {
        var settings = new SmtpRateLimitSettings { ConnectionsPerIp = 2 };
        // Two replicas share the limit: two limiter instances over the same Redis.
        var replicaA = Limiter(settings);
        var replicaB = Limiter(settings);
        var address = NewAddress();

        var first = await replicaA.TryAcquireConnectionAsync(address, default);
        var second = await replicaB.TryAcquireConnectionAsync(address, default);
        var third = await replicaA.TryAcquireConnectionAsync(address, default);
        var otherAddress = await replicaA.TryAcquireConnectionAsync(NewAddress(), default);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(third);
        Assert.NotNull(otherAddress);

        await first.DisposeAsync();
        Assert.NotNull(await replicaB.TryAcquireConnectionAsync(address, default));
    }

    [Fact]
    public async Task A_slot_of_a_dead_replica_lapses_after_the_session_timeout()
    {
        var limiter = Limiter(new SmtpRateLimitSettings { ConnectionsPerIp = 1 });
        var address = NewAddress();

        Assert.NotNull(await limiter.TryAcquireConnectionAsync(address, default));
        Assert.Null(await limiter.TryAcquireConnectionAsync(address, default));

        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.NotNull(await limiter.TryAcquireConnectionAsync(address, default));
    }

    [Fact]
    public async Task Message_rates_count_per_address_and_per_user_within_a_minute()
    {
        var limiter = Limiter(new SmtpRateLimitSettings { MessagesPerMinutePerIp = 3, MessagesPerMinutePerUser = 2 });
        var address = NewAddress();
        var user = $"u{Guid.NewGuid():N}@example.com";

        Assert.True(await limiter.TryCountMessageAsync(address, user, default));
        Assert.True(await limiter.TryCountMessageAsync(NewAddress(), user, default));
        Assert.False(await limiter.TryCountMessageAsync(NewAddress(), user, default));
        Assert.True(await limiter.TryCountMessageAsync(address, null, default));
        Assert.True(await limiter.TryCountMessageAsync(address, null, default));
        Assert.False(await limiter.TryCountMessageAsync(address, null, default));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await limiter.TryCountMessageAsync(address, user, default));
    }

    [Fact]
    public async Task Zero_limits_never_refuse()
    {
        var limiter = Limiter(new SmtpRateLimitSettings { ConnectionsPerIp = 0, MessagesPerMinutePerIp = 0, AuthFailuresPerIp = 0 });
        var address = NewAddress();
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await limiter.TryAcquireConnectionAsync(address, default));
            Assert.True(await limiter.TryCountMessageAsync(address, "x@example.com", default));
            await limiter.RecordAuthFailureAsync(address, default);
        }

        Assert.False(await limiter.IsAuthThrottledAsync(address, default));
    }

    [Fact]
    public async Task Auth_failures_throttle_an_address_for_the_window()
    {
        var limiter = Limiter(new SmtpRateLimitSettings { AuthFailuresPerIp = 3, AuthFailureWindow = TimeSpan.FromSeconds(2) });
        var address = NewAddress();

        for (var i = 0; i < 3; i++)
        {
            Assert.False(await limiter.IsAuthThrottledAsync(address, default));
            await limiter.RecordAuthFailureAsync(address, default);
        }

        Assert.True(await limiter.IsAuthThrottledAsync(address, default));
        Assert.False(await limiter.IsAuthThrottledAsync(NewAddress(), default));

        // The window is a Redis expiry, in real time.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.False(await limiter.IsAuthThrottledAsync(address, default));
    }
}

public sealed class RedisRateLimiterTests(RedisFixture fixture) : RateLimiterContract(fixture), IClassFixture<RedisFixture>;

public sealed class GarnetRateLimiterTests(GarnetFixture fixture) : RateLimiterContract(fixture), IClassFixture<GarnetFixture>;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
