using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailKit.Net.Pop3;
using MailKit.Security;
using Postroom.Pop3.Session;
using Postroom.Protocols;
using Postroom.Testing;

namespace Postroom.Pop3.Tests;

/// <summary>MailKit's Pop3Client against the engine on a real TCP listener, with STLS.</summary>
public sealed class Pop3RealClientTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>, IDisposable
{
    private static readonly Lazy<X509Certificate2> Certificate = new(CreateCertificate);

    private readonly Pop3TestServer _server = new(garnet, new Pop3Options { HostName = "pop.test", StartTlsAvailable = true });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task MailKit_reads_and_deletes_over_stls()
    {
        var first = Pop3TestServer.Message("first", "Hello Jane.\r\n.leading dot\r\n");
        await _server.SeedAsync(first, prefix: "Return-Path: <alice@example.org>\r\n");
        await _server.SeedAsync(Pop3TestServer.Message("second"));

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = ServeOneAsync(listener);

        using (var client = new Pop3Client())
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString() == Certificate.Value.GetCertHashString();
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.StartTls);
            Assert.True(client.IsSecure);
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.UIDL));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Top));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Pipelining));
            Assert.Contains("PLAIN", client.AuthenticationMechanisms);

            await client.AuthenticateAsync(Pop3TestServer.Jane, Pop3TestServer.Password);
            Assert.Equal(2, client.Count);
            var uids = await client.GetMessageUidsAsync();
            Assert.Equal(2, uids.Count);
            Assert.Equal(Encoding.UTF8.GetByteCount(first) + 34, await client.GetMessageSizeAsync(0));

            using var message = await client.GetMessageAsync(0);
            Assert.Equal("first", message.Subject);
            Assert.Contains(".leading dot", message.TextBody, StringComparison.Ordinal);
            Assert.Equal("<alice@example.org>", message.Headers["Return-Path"]);

            // TOP 2 0, then RETR 2: the second message is retrieved (and so flagged \Seen at QUIT).
            var top = await client.GetMessageHeadersAsync(1);
            Assert.Equal("second", top["Subject"]);
            using var second = await client.GetMessageAsync(1);
            Assert.Equal("Hello.", second.TextBody?.TrimEnd());

            await client.DeleteMessageAsync(0);
            await client.DisconnectAsync(quit: true);
        }

        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        var left = Assert.Single(await _server.InboxAsync());
        Assert.Contains(Postroom.Mailbox.MessageFlags.Seen, left.Flags);
    }

    private async Task ServeOneAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync();
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var transport = new StreamTransport(stream);
        var info = new Pop3SessionInfo
        {
            SessionId = Pop3Session.NewSessionId(),
            RemoteEndPoint = (IPEndPoint?)socket.RemoteEndPoint,
            LocalEndPoint = (IPEndPoint?)socket.LocalEndPoint,
        };
        var session = new Pop3Session(_server.Options, _server.Services, transport, info);
        try
        {
            await session.RunAsync(CancellationToken.None, CancellationToken.None);
        }
        finally
        {
            await transport.Output.CompleteAsync();
            socket.Shutdown(SocketShutdown.Both);
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=pop.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    /// <summary>A transport over a socket stream; STLS wraps it in an SslStream and builds new pipes.</summary>
    private sealed class StreamTransport(Stream stream) : IProtocolTransport
    {
        public PipeReader Input { get; private set; } = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));

        public PipeWriter Output { get; private set; } = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));

        public string? TlsDescription { get; private set; }

        public async Task StartTlsAsync(CancellationToken cancellationToken)
        {
            // The session has discarded buffered plaintext and flushed its +OK; the old pipes hold nothing.
            await Input.CompleteAsync();
            await Output.CompleteAsync();
            var tls = new SslStream(stream, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate.Value }, cancellationToken);
            Input = PipeReader.Create(tls);
            Output = PipeWriter.Create(tls);
            TlsDescription = $"{tls.SslProtocol} {tls.NegotiatedCipherSuite}";
        }
    }
}
