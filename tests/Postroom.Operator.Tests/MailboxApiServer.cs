using System.Text;
using Google.Protobuf;
using Grpc.Net.Client;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Config.Compilation;
using Postroom.Config.Model;
using Postroom.Config.Snapshot;
using Postroom.Mailbox;
using Postroom.Mailbox.Redis;
using Postroom.Mailbox.V1;
using Postroom.MailboxApi;
using Postroom.Storage;
using Postroom.Testing;
using StackExchange.Redis;

namespace Postroom.Operator.Tests;

/// <summary>
/// The real mailbox API (<see cref="MailboxGrpcService"/>) on Kestrel (127.0.0.1, a free port, HTTP/2 cleartext)
/// over a real <see cref="RedisMailboxStore"/> on the environment's redis-server and a
/// <see cref="FileSystemBlobStore"/> in a temporary directory, with a gRPC client for the test's own appends.
/// </summary>
public sealed class MailboxApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly StaticConfigSnapshotSource _config;
    private readonly IConnectionMultiplexer _redis;

    private MailboxApiServer(WebApplication app, int port, IConnectionMultiplexer redis, RedisMailboxStore store, FileSystemBlobStore blobs, StaticConfigSnapshotSource config)
    {
        _app = app;
        _redis = redis;
        _config = config;
        Endpoint = $"http://127.0.0.1:{port}";
        _channel = GrpcChannel.ForAddress(Endpoint);
        Client = new MailboxService.MailboxServiceClient(_channel);
        Store = store;
        Blobs = blobs;
    }

    /// <summary>The address the operator is given (<c>MailboxAccess:Endpoint</c>).</summary>
    public string Endpoint { get; }

    public MailboxService.MailboxServiceClient Client { get; }

    public RedisMailboxStore Store { get; }

    public FileSystemBlobStore Blobs { get; }

    public static async Task<MailboxApiServer> StartAsync(IConnectionMultiplexer redis)
    {
        var blobRoot = Path.Combine(Path.GetTempPath(), "postroom-operator-mbx-" + Guid.NewGuid().ToString("N"));
        var blobs = new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = blobRoot });
        var store = new RedisMailboxStore(redis, blobs);
        var config = new StaticConfigSnapshotSource(ConfigSnapshot.Empty);

        var port = FreePort.Get();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IMailboxStore>(store);
        builder.Services.AddSingleton<IConfigSnapshotSource>(config);
        var app = builder.Build();
        app.MapGrpcService<MailboxGrpcService>();
        await app.StartAsync();
        return new MailboxApiServer(app, port, redis, store, blobs, config);
    }

    /// <summary>Makes the service's configuration these domains (it looks users up there on Append).</summary>
    public void Configure(params MailDomainSpec[] specs)
    {
        var resources = specs.Select(spec => new MailDomain
        {
            Metadata = new V1ObjectMeta { Name = spec.Domain!.Split('.')[0], NamespaceProperty = OperatorEnvironment.Namespace },
            Spec = spec,
        });
        var compiled = ConfigCompiler.Compile(resources);
        Assert.True(compiled.Succeeded, string.Join("\n", compiled.Errors));
        _config.Update(compiled.Snapshot);
    }

    /// <summary>Stores a body in the blob store and returns its key and size.</summary>
    public async Task<(string Key, long Size)> PutBodyAsync(string subject)
    {
        var text = $"From: alice@example.org\r\nSubject: {subject}\r\n\r\nHello.\r\n";
        var key = "messages/" + Guid.NewGuid().ToString("N");
        var info = await Blobs.PutAsync(key, new MemoryStream(Encoding.ASCII.GetBytes(text)), CancellationToken.None);
        return (key, info.Length);
    }

    /// <summary>Appends a stored body to a user's mailbox through the gRPC API, as the delivery worker does.</summary>
    public async Task AppendAsync(string user, (string Key, long Size) body, string mailbox = "")
    {
        var response = await Client.AppendAsync(new Mailbox.V1.AppendRequest
        {
            User = user,
            Mailbox = mailbox,
            BlobKey = body.Key,
            BlobSize = body.Size,
            HeaderPrefix = ByteString.CopyFromUtf8("Delivered-To: " + user + "\r\n"),
        });
        Assert.False(response.Duplicate);
    }

    /// <summary>Puts a new body and appends it to a user's mailbox; returns the body's key.</summary>
    public async Task<string> DeliverAsync(string user, string subject, string mailbox = "")
    {
        var body = await PutBodyAsync(subject);
        await AppendAsync(user, body, mailbox);
        return body.Key;
    }

    /// <summary>Every Redis key of a user (all share the hash tag <c>{user}</c>): mailboxes, messages, usage.</summary>
    public async Task<List<string>> KeysOfAsync(string user) =>
        await _redis.GetServer(_redis.GetEndPoints()[0]).KeysAsync(pattern: "*{" + user + "}*").Select(k => k.ToString()).ToListAsync();

    /// <summary>The field names of a Redis hash, ordered.</summary>
    public async Task<List<string>> HashFieldsAsync(string key) =>
        (await _redis.GetDatabase().HashKeysAsync(key)).Select(f => f.ToString()).Order(StringComparer.Ordinal).ToList();

    /// <summary>Users of a domain that have data in the store, ordered.</summary>
    public async Task<List<string>> DomainUsersAsync(string domain) =>
        await Store.ListDomainUsersAsync(domain, CancellationToken.None).Order(StringComparer.Ordinal).ToListAsync();

    public async Task<bool> BodyExistsAsync(string key) => await Blobs.StatAsync(key, CancellationToken.None) is not null;

    /// <summary>The blob keys of all messages in a user's mailbox, read from the store.</summary>
    public async Task<List<string>> BlobKeysAsync(string user, string mailbox = "INBOX") =>
        await Store.ListMessagesAsync(user, mailbox, UidSet.All, true, CancellationToken.None).Select(m => m.Details!.BlobKey).ToListAsync();

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(Blobs.RootPath, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
