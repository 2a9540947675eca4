using Microsoft.Extensions.Logging.Abstractions;
using Postroom.Config.Compilation;
using Postroom.Config.Loading;
using Postroom.Config.Snapshot;
using Postroom.Hosting.Config;
using Postroom.Testing;

namespace Postroom.Hosting.Tests;

/// <summary>A service picks up a new configuration without a restart and keeps the last good one on errors.</summary>
public sealed class ConfigSourceTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    private const string Hash = "$argon2id$v=19$m=32768,t=2,p=1$TmNMU0c4ME5qRTg4U1dT$qTIjFRMaXfIFG6yKgvwg4oEHUa/TgymLzZZa+Aa5aM4";

    private static string Domain(string users) => $$"""
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: example }
        spec:
          domain: example.com
          users: [{ name: postmaster, password: "{{Hash}}" }{{users}}]
        """;

    [Fact]
    public async Task File_source_recompiles_on_change_and_keeps_the_last_good_snapshot_on_errors()
    {
        var directory = Directory.CreateTempSubdirectory("postroom-config-");
        var file = Path.Combine(directory.FullName, "example.yaml");
        await File.WriteAllTextAsync(file, Domain(""));
        using var source = new FileConfigSnapshotSource(directory.FullName, NullLogger<FileConfigSnapshotSource>.Instance);
        await source.LoadAsync(CancellationToken.None);
        await source.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(ResolutionKind.NoSuchUser, source.Current.Resolve("jane@example.com").Kind);

            await File.WriteAllTextAsync(file, Domain($", {{ name: jane, password: \"{Hash}\" }}"));
            await Eventually(() => source.Current.Resolve("jane@example.com").Kind == ResolutionKind.Deliver);
            var good = source.Current.Version;

            await File.WriteAllTextAsync(file, "apiVersion: postroom.io/v1alpha1\nkind: MailDomain\nspec: [broken\n");
            await Task.Delay(1500);
            Assert.Equal(good, source.Current.Version);
        }
        finally
        {
            await source.StopAsync(CancellationToken.None);
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Redis_source_loads_a_published_snapshot_within_seconds()
    {
        var loaded = MailDomainYamlLoader.Load("t.yaml", Domain($", {{ name: jane, password: \"{Hash}\" }}"));
        var snapshot = ConfigCompiler.Compile(loaded.MailDomains).Snapshot;
        using var source = new RedisConfigSnapshotSource(garnet.Connection, NullLogger<RedisConfigSnapshotSource>.Instance);
        await source.StartAsync(CancellationToken.None);
        try
        {
            var db = garnet.Connection.GetDatabase();
            await db.StringSetAsync(RedisConfigSnapshotSource.SnapshotKey, snapshot.Json);
            await db.StringSetAsync(RedisConfigSnapshotSource.VersionKey, snapshot.Version);
            await garnet.Connection.GetSubscriber().PublishAsync(RedisConfigSnapshotSource.ChangedChannel, snapshot.Version);

            await Eventually(() => source.Current.Version == snapshot.Version);
            Assert.Equal(ResolutionKind.Deliver, source.Current.Resolve("jane@example.com").Kind);

            // A corrupt payload never replaces a good snapshot.
            await db.StringSetAsync(RedisConfigSnapshotSource.SnapshotKey, "{not json");
            await db.StringSetAsync(RedisConfigSnapshotSource.VersionKey, "bogus");
            await Task.Delay(2500);
            Assert.Equal(snapshot.Version, source.Current.Version);
        }
        finally
        {
            await source.StopAsync(CancellationToken.None);
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 5 s");
            await Task.Delay(50);
        }
    }
}
