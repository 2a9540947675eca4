using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postroom.Mailbox.V1;
using Postroom.Testing;

namespace Postroom.Operator.Tests;

/// <summary>An in-process gRPC MailboxService (Kestrel, HTTP/2 on a free port) that records DeleteDomainData calls.</summary>
public sealed class MailboxTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MailboxTestServer(WebApplication app, int port, Recorder recorder)
    {
        _app = app;
        Endpoint = $"http://127.0.0.1:{port}";
        Calls = recorder.Calls;
    }

    public string Endpoint { get; }

    /// <summary>Domains passed to DeleteDomainData, in call order.</summary>
    public ConcurrentQueue<string> Calls { get; }

    public static async Task<MailboxTestServer> StartAsync()
    {
        var port = FreePort.Get();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        var recorder = new Recorder();
        builder.Services.AddSingleton(recorder);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<TestMailboxService>();
        await app.StartAsync();
        return new MailboxTestServer(app, port, recorder);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed class Recorder
    {
        public ConcurrentQueue<string> Calls { get; } = new();
    }

    private sealed class TestMailboxService(Recorder recorder) : MailboxService.MailboxServiceBase
    {
        public override Task<DeleteDomainDataResponse> DeleteDomainData(DeleteDomainDataRequest request, ServerCallContext context)
        {
            recorder.Calls.Enqueue(request.Domain);
            return Task.FromResult(new DeleteDomainDataResponse { Users = 1 });
        }
    }
}
