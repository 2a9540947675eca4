using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Postroom.Config.Model;
using Postroom.Hosting.Config;
using Postroom.Operator.Hosting;
using Postroom.Operator.Tests.FakeApi;
using Postroom.Passwords;
using Postroom.Testing;
using StackExchange.Redis;

namespace Postroom.Operator.Tests;

/// <summary>
/// One test's world: a fake API server, a real redis-server, the real mailbox gRPC API in-process (its store on
/// that redis-server, bodies in a temporary directory), optionally a real smtp-ingress, and any number of real operators (in-process WebApplications) pointed at them.
/// </summary>
public sealed class OperatorEnvironment : IAsyncDisposable
{
    public const string Namespace = "mail";
    public const string MailHost = "mx.postroom.test";

    private readonly List<RunningOperator> _operators = [];

    private OperatorEnvironment(FakeApiServer api, RedisServer redis, ConnectionMultiplexer connection, MailboxApiServer mailbox)
    {
        Api = api;
        Redis = redis;
        RedisConnection = connection;
        Mailbox = mailbox;
        Client = CreateClient(api.Url, "test");
    }

    public FakeApiServer Api { get; }

    public RedisServer Redis { get; }

    public ConnectionMultiplexer RedisConnection { get; }

    public MailboxApiServer Mailbox { get; }

    /// <summary>The test's own client (identity "test"), as kubectl would be.</summary>
    public IKubernetes Client { get; }

    public SmtpIngressProcess? Ingress { get; private set; }

    public static async Task<OperatorEnvironment> StartAsync(bool withIngress = false)
    {
        var api = await FakeApiServer.StartAsync();
        var redis = await RedisServer.StartAsync();
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.EndPoint);
        var mailbox = await MailboxApiServer.StartAsync(connection);
        var environment = new OperatorEnvironment(api, redis, connection, mailbox);
        if (withIngress)
        {
            environment.Ingress = await SmtpIngressProcess.StartAsync(redis.EndPoint);
        }

        return environment;
    }

    public static IKubernetes CreateClient(string url, string identity) =>
        new k8s.Kubernetes(new KubernetesClientConfiguration { Host = url }, new IdentityHandler(identity));

    /// <summary>Starts a real operator; it leads at once when no other replica holds the Lease.</summary>
    public async Task<RunningOperator> StartOperatorAsync(string identity = "operator-0")
    {
        var httpPort = FreePort.Get();
        var app = OperatorApplication.Build(
        [
            $"--Kubernetes:Host={Api.Url}",
            $"--Redis:Configuration={Redis.EndPoint}",
            "--Http:Address=127.0.0.1",
            $"--Http:Port={httpPort}",
            $"--MailboxAccess:Endpoint={Mailbox.Endpoint}",
            $"--Operator:Identity={identity}",
            "--Operator:LeaseNamespace=postroom-system",
            $"--Operator:MailHost={MailHost}",
            "--Operator:LeaseDuration=00:00:03",
            "--Operator:RenewDeadline=00:00:02",
            "--Operator:RetryPeriod=00:00:00.500",
            "--Operator:Debounce=00:00:00.050",
            "--Logging:LogLevel:Default=Warning",
        ], services => services.AddSingleton(CreateClient(Api.Url, identity)));
        await app.StartAsync();
        var running = new RunningOperator(identity, app, httpPort);
        _operators.Add(running);
        return running;
    }

    public async Task<MailDomain> CreateDomainAsync(string name, MailDomainSpec spec)
    {
        var body = new MailDomain { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace }, Spec = spec };
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<MailDomain>(body, MailDomain.KubeGroup, MailDomain.KubeVersion, Namespace, MailDomain.KubePlural);
        return created;
    }

    public async Task<MailDomain> PatchSpecAsync(string name, string mergePatchJson) =>
        await Client.CustomObjects.PatchNamespacedCustomObjectAsync<MailDomain>(
            new V1Patch(mergePatchJson, V1Patch.PatchType.MergePatch), MailDomain.KubeGroup, MailDomain.KubeVersion, Namespace, MailDomain.KubePlural, name);

    public async Task DeleteDomainAsync(string name) =>
        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(MailDomain.KubeGroup, MailDomain.KubeVersion, Namespace, MailDomain.KubePlural, name);

    public MailDomain? GetDomain(string name) => Api.Get("maildomains", Namespace, name) is { } json ? KubernetesJson.Deserialize<MailDomain>(json.ToJsonString()) : null;

    public async Task PutSecretAsync(string name, IReadOnlyDictionary<string, string> data)
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Data = data.ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes(p.Value)),
        };
        if (Api.Get("secrets", Namespace, name) is null)
        {
            await Client.CoreV1.CreateNamespacedSecretAsync(secret, Namespace);
        }
        else
        {
            await Client.CoreV1.ReplaceNamespacedSecretAsync(secret, name, Namespace);
        }
    }

    /// <summary>Events recorded about one resource.</summary>
    public List<Corev1Event> EventsFor(string name) => Api.List("events", Namespace)
        .Select(e => KubernetesJson.Deserialize<Corev1Event>(e.ToJsonString()))
        .Where(e => e.InvolvedObject?.Name == name)
        .ToList();

    public async Task<string?> PublishedVersionAsync() => await RedisConnection.GetDatabase().StringGetAsync(RedisConfigSnapshotSource.VersionKey);

    public async Task<Postroom.Config.Snapshot.ConfigSnapshot?> PublishedSnapshotAsync()
    {
        var json = await RedisConnection.GetDatabase().StringGetAsync(RedisConfigSnapshotSource.SnapshotKey);
        return json.IsNullOrEmpty ? null : Postroom.Config.Snapshot.ConfigSnapshot.FromJson(json.ToString());
    }

    /// <summary>Polls until <paramref name="probe"/> returns a value, or fails with the last observation.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the resource's Ready condition to reach <paramref name="status"/> for its current generation.</summary>
    public Task<MailDomain> WaitForReadyAsync(string name, string status = "True", TimeSpan? timeout = null) =>
        EventuallyAsync(() =>
        {
            var domain = GetDomain(name);
            var ready = domain?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            return Task.FromResult(ready?.Status == status && ready.ObservedGeneration == domain!.Metadata.Generation ? domain : null);
        }, timeout ?? TimeSpan.FromSeconds(15), $"{name} Ready={status}");

    public static MailDomainSpec Spec(string domain, params MailUserSpec[] users) => new()
    {
        Domain = domain,
        Users = [new MailUserSpec { Name = "postmaster", Password = Hashes.Postmaster }, .. users],
        Aliases = [new MailAliasSpec { Address = "abuse", Targets = ["postmaster"] }],
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _operators)
        {
            await running.KillAsync();
        }

        if (Ingress is not null)
        {
            await Ingress.DisposeAsync();
        }

        await Mailbox.DisposeAsync();
        await Api.DisposeAsync();
        await RedisConnection.DisposeAsync();
        await Redis.DisposeAsync();
    }

    private sealed class IdentityHandler(string identity) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation(FakeApiServer.IdentityHeader, identity);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Password hashes made once per test run.</summary>
public static class Hashes
{
    public static string Postmaster { get; } = PasswordHasher.Default.HashPassword("postmaster-password");

    public static string Jane { get; } = PasswordHasher.Default.HashPassword("jane-password");

    public static string JaneNew { get; } = PasswordHasher.Default.HashPassword("jane-new-password");

    public static string Bob { get; } = PasswordHasher.Default.HashPassword("bob-password");
}

/// <summary>One operator replica running in-process.</summary>
public sealed class RunningOperator(string identity, WebApplication app, int httpPort)
{
    private bool _stopped;

    public string Identity { get; } = identity;

    /// <summary>The port of /healthz, /readyz and /metrics.</summary>
    public int HttpPort { get; } = httpPort;

    public LeaderElectedOperator Elector => app.Services.GetRequiredService<LeaderElectedOperator>();

    /// <summary>Stops without a graceful shutdown: the stop token is already cancelled, so nothing waits or cleans up.</summary>
    public async Task KillAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await app.StopAsync(new CancellationToken(canceled: true));
        await app.DisposeAsync();
    }
}
