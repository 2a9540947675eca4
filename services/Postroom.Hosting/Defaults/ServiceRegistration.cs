using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Postroom.Config;
using Postroom.Hosting.Config;
using Postroom.Hosting.Storage;
using Postroom.Queue;
using Postroom.Storage;
using StackExchange.Redis;

namespace Postroom.Hosting.Defaults;

/// <summary>Registrations of the stores a cluster service uses, from configuration.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddRedisMailQueue(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Queue").Get<RedisMailQueueOptions>() ?? new RedisMailQueueOptions();
        services.AddSingleton<IMailQueue>(sp => new RedisMailQueue(sp.GetRequiredService<IConnectionMultiplexer>(), options, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    public static IServiceCollection AddBlobStore(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("BlobStore").Get<BlobStoreSettings>() ?? new BlobStoreSettings();
        services.AddSingleton(settings.Create());
        services.AddHostedService(sp => new BlobStoreInitializer(sp.GetRequiredService<IBlobStore>()));
        return services;
    }

    public static IServiceCollection AddRedisConfigSnapshot(this IServiceCollection services)
    {
        services.AddSingleton<RedisConfigSnapshotSource>();
        services.AddSingleton<IConfigSnapshotSource>(sp => sp.GetRequiredService<RedisConfigSnapshotSource>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisConfigSnapshotSource>());
        return services;
    }

    /// <summary>Creates the S3 bucket if needed before the service takes traffic.</summary>
    private sealed class BlobStoreInitializer(IBlobStore store) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (store is S3BlobStore s3)
            {
                await s3.EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
