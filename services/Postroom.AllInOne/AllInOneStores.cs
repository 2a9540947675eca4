using Postroom.Config;
using Postroom.Delivery;
using Postroom.EmbeddedRedis;
using Postroom.Hosting.Config;
using Postroom.Hosting.Defaults;
using Postroom.Hosting.Mailbox;
using Postroom.Hosting.Smtp;
using Postroom.Hosting.Tls;
using Postroom.Mailbox;
using Postroom.Pop3.Session;
using Postroom.Queue;
using Postroom.Storage;
using StackExchange.Redis;

namespace Postroom.AllInOne;

/// <summary>
/// The all-in-one host's stores, all under one data directory: Garnet (persisted, group-committed) in
/// <c>redis/</c>, message bodies in <c>blobs/</c>, a self-signed certificate in <c>tls/</c>. Configuration
/// comes from MailDomain YAML files (default <c>examples/</c>).
/// </summary>
internal sealed class AllInOneStores : IAsyncDisposable
{
    private readonly EmbeddedGarnetServer _garnet;
    private readonly ConnectionMultiplexer _redis;
    private readonly ConnectionMultiplexer _commits;
    private readonly IConfiguration _configuration;
    private readonly string _dataDirectory;
    private readonly string _configDirectory;

    private AllInOneStores(EmbeddedGarnetServer garnet, ConnectionMultiplexer redis, ConnectionMultiplexer commits, IConfiguration configuration, string dataDirectory, string configDirectory)
    {
        _garnet = garnet;
        _redis = redis;
        _commits = commits;
        _configuration = configuration;
        _dataDirectory = dataDirectory;
        _configDirectory = configDirectory;
    }

    public static async Task<AllInOneStores> StartAsync(IConfiguration configuration, string contentRoot)
    {
        var dataDirectory = Path.GetFullPath(configuration["data-dir"] ?? configuration["DataDirectory"] ?? ".postroom");
        var configDirectory = Path.GetFullPath(configuration["config-dir"] ?? configuration["ConfigDirectory"] ?? "examples");
        if (!Directory.Exists(configDirectory))
        {
            throw new DirectoryNotFoundException($"MailDomain folder '{configDirectory}' not found; pass --config-dir or run from the repository root (content root {contentRoot})");
        }

        // Garnet:Port 0 picks a free port; set one to inspect the queue with redis-cli.
        var garnet = await EmbeddedGarnetServer.StartAsync(new EmbeddedGarnetOptions
        {
            DataDirectory = Path.Combine(dataDirectory, "redis"),
            Port = configuration.GetValue("Garnet:Port", 0),
            // Writes are acknowledged at once and made durable by group commits (AofGroupCommit): the
            // queue waits for the commit before smtp-ingress answers 250.
            CommitMode = GarnetCommitMode.Group,
        }).ConfigureAwait(false);
        var redis = await ConnectionMultiplexer.ConnectAsync(garnet.EndPoint).ConfigureAwait(false);
        var commits = await ConnectionMultiplexer.ConnectAsync(garnet.EndPoint).ConfigureAwait(false);
        return new AllInOneStores(garnet, redis, commits, configuration, dataDirectory, configDirectory);
    }

    public void Register(WebApplicationBuilder builder)
    {
        var smtp = _configuration.GetSection("Smtp").Get<SmtpHostSettings>() ?? new SmtpHostSettings();
        var mailboxAccess = _configuration.GetSection("MailboxAccess").Get<MailboxAccessSettings>() ?? new MailboxAccessSettings();
        var tls = _configuration.GetSection("Tls").Get<TlsSettings>() ?? new TlsSettings();
        tls.SelfSignedDirectory ??= Path.Combine(_dataDirectory, "tls");
        var certificates = CertificateProvider.Create(tls);

        var services = builder.Services;
        services.AddSingleton<IConnectionMultiplexer>(_redis);
        services.AddSingleton<IBlobStore>(new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = Path.Combine(_dataDirectory, "blobs") }));
        var durability = new AofGroupCommit(_commits);
        services.AddSingleton<IDurabilityBarrier>(durability);
        services.AddSingleton<IMailQueue>(sp => new RedisMailQueue(_redis, new RedisMailQueueOptions(), sp.GetRequiredService<TimeProvider>(), durability));
        services.AddSingleton(sp => new FileConfigSnapshotSource(_configDirectory, sp.GetRequiredService<ILogger<FileConfigSnapshotSource>>()));
        services.AddSingleton<IConfigSnapshotSource>(sp => sp.GetRequiredService<FileConfigSnapshotSource>());
        services.AddHostedService(sp => sp.GetRequiredService<FileConfigSnapshotSource>());
        services.AddSmtpIngress(smtp);
        // One process serves every POP3 session here, so the RFC 1939 maildrop lock can be in memory.
        services.AddMailboxAccess(mailboxAccess, new InProcessMaildropLocks());
        // delivery-worker: local mail goes from the queue into the mailboxes in this process too.
        var delivery = _configuration.GetSection("Delivery").Get<DeliveryOptions>() ?? new DeliveryOptions();
        services.AddHostedService(sp => new DeliveryWorker(
            sp.GetRequiredService<IMailQueue>(),
            sp.GetRequiredService<IMailboxStore>(),
            sp.GetRequiredService<IBlobStore>(),
            sp.GetRequiredService<IConfigSnapshotSource>(),
            delivery,
            sp.GetRequiredService<ILogger<DeliveryWorker>>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenHttp(_configuration.GetSection("Http").Get<HttpSettings>() ?? new HttpSettings { Address = "127.0.0.1", Port = 2080 });
            kestrel.ListenSmtp(smtp, certificates);
            kestrel.ListenMailboxAccess(mailboxAccess, certificates);
        });
    }

    /// <summary>Compiles the MailDomain files before the first connection is served.</summary>
    public static Task LoadConfigurationAsync(IServiceProvider services) =>
        services.GetRequiredService<FileConfigSnapshotSource>().LoadAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync().ConfigureAwait(false);
        await _commits.DisposeAsync().ConfigureAwait(false);
        await _garnet.DisposeAsync().ConfigureAwait(false);
    }
}
