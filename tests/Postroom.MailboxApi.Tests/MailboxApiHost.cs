using System.Text;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Config.Compilation;
using Postroom.Config.Loading;
using Postroom.Mailbox;
using Postroom.Mailbox.Redis;
using Postroom.Mailbox.V1;
using Postroom.Storage;
using Postroom.Testing;

namespace Postroom.MailboxApi.Tests;

/// <summary>
/// The mailbox API on Kestrel (127.0.0.1, a free port, HTTP/2 cleartext) over a real
/// <see cref="RedisMailboxStore"/> (under a key prefix of its own) and a file-system blob store, with a
/// real gRPC client channel.
/// </summary>
internal sealed class MailboxApiHost : IAsyncDisposable
{
    /// <summary>Argon2id of "jane-password".</summary>
    private const string Hash = "$argon2id$v=19$m=32768,t=2,p=1$TmNMU0c4ME5qRTg4U1dT$qTIjFRMaXfIFG6yKgvwg4oEHUa/TgymLzZZa+Aa5aM4";

    private const string Config = $$"""
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: example }
        spec:
          domain: example.com
          users:
            - { name: postmaster, password: "{{Hash}}" }
            - { name: jane, password: "{{Hash}}", quota: 2Ki }
            - { name: john, password: "{{Hash}}" }
        ---
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: other }
        spec:
          domain: other.example
          users:
            - { name: postmaster, password: "{{Hash}}" }
            - { name: bob, password: "{{Hash}}" }
        """;

    private readonly WebApplication _app;

    private MailboxApiHost(WebApplication app, GrpcChannel channel, FileSystemBlobStore blobs, RedisMailboxStore store)
    {
        _app = app;
        Channel = channel;
        Client = new MailboxService.MailboxServiceClient(channel);
        Blobs = blobs;
        Store = store;
    }

    public GrpcChannel Channel { get; }

    public MailboxService.MailboxServiceClient Client { get; }

    public FileSystemBlobStore Blobs { get; }

    public RedisMailboxStore Store { get; }

    public static async Task<MailboxApiHost> StartAsync(IRedisFixture redis)
    {
        var loaded = MailDomainYamlLoader.Load("test.yaml", Config);
        var compiled = ConfigCompiler.Compile(loaded.MailDomains, loaded.Secrets);
        Assert.True(compiled.Succeeded, string.Join("\n", compiled.Errors));

        var blobRoot = Path.Combine(Path.GetTempPath(), "postroom-mbxapi-tests-" + Guid.NewGuid().ToString("N"));
        var blobs = new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = blobRoot });
        var store = new RedisMailboxStore(redis.Connection, blobs, new RedisMailboxStoreOptions { KeyPrefix = "mbxapi:" + Guid.NewGuid().ToString("N") });

        var port = FreePort.Get();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IMailboxStore>(store);
        builder.Services.AddSingleton<IConfigSnapshotSource>(new StaticConfigSnapshotSource(compiled.Snapshot));
        var app = builder.Build();
        app.MapGrpcService<MailboxGrpcService>();
        await app.StartAsync();

        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        return new MailboxApiHost(app, channel, blobs, store);
    }

    /// <summary>Stores a body of about <paramref name="size"/> bytes and returns its key and exact size.</summary>
    public async Task<(string Key, long Size)> PutBodyAsync(string subject = "Hello", int size = 100)
    {
        var head = $"From: alice@example.org\r\nSubject: {subject}\r\n\r\n";
        var text = head + new string('x', Math.Max(0, size - head.Length - 2)) + "\r\n";
        var key = "messages/" + Guid.NewGuid().ToString("N");
        var info = await Blobs.PutAsync(key, new MemoryStream(Encoding.ASCII.GetBytes(text)), CancellationToken.None);
        return (key, info.Length);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
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
