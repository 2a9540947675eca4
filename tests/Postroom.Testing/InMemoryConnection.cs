using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postroom.Protocols;

namespace Postroom.Testing;

/// <summary>
/// Both ends of a connection over in-memory pipes. STARTTLS and STLS are real TLS (SslStream over the pipes with a
/// throwaway certificate), so tests see exactly what a TLS client would.
/// </summary>
public sealed class InMemoryConnection
{
    private static readonly Lazy<X509Certificate2> Certificate = new(CreateCertificate);

    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();

    public InMemoryConnection()
    {
        Server = new ServerTransport(this);
        ClientInput = _toClient.Reader;
        ClientOutput = _toServer.Writer;
    }

    public ServerTransport Server { get; }

    public PipeReader ClientInput { get; private set; }

    public PipeWriter ClientOutput { get; private set; }

    /// <summary>Set when the server side has started TLS; the client completes the handshake with it.</summary>
    public TaskCompletionSource ServerTlsStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task StartClientTlsAsync()
    {
        // The test certificate is self-signed: the client pins it instead of trusting everything.
        var stream = new SslStream(new DuplexStream(_toClient.Reader, _toServer.Writer), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == Certificate.Value.GetCertHashString());
        await stream.AuthenticateAsClientAsync("localhost");
        ClientInput = PipeReader.Create(stream);
        ClientOutput = PipeWriter.Create(stream);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    public sealed class ServerTransport(InMemoryConnection connection) : IProtocolTransport
    {
        public PipeReader Input { get; private set; } = connection._toServer.Reader;

        public PipeWriter Output { get; private set; } = connection._toClient.Writer;

        public string? TlsDescription { get; set; }

        public async Task StartTlsAsync(CancellationToken cancellationToken)
        {
            var stream = new SslStream(new DuplexStream(connection._toServer.Reader, connection._toClient.Writer), leaveInnerStreamOpen: false);
            var handshake = stream.AuthenticateAsServerAsync(Certificate.Value, false, false);
            connection.ServerTlsStarted.SetResult();
            await handshake;
            Input = PipeReader.Create(stream);
            Output = PipeWriter.Create(stream);
            TlsDescription = $"{stream.SslProtocol} {stream.NegotiatedCipherSuite}";
        }

        /// <summary>The server hangs up: the client sees end of input, also after TLS.</summary>
        public async Task CloseAsync()
        {
            await Output.CompleteAsync();
            await connection._toClient.Writer.CompleteAsync();
        }

        /// <summary>The client hung up: the server sees end of input.</summary>
        public void Disconnect() => connection._toServer.Writer.Complete();
    }

    /// <summary>A stream over a reader and a writer, for SslStream.</summary>
    private sealed class DuplexStream(PipeReader reader, PipeWriter writer) : Stream
    {
        private readonly Stream _read = reader.AsStream();
        private readonly Stream _write = writer.AsStream();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _read.ReadAsync(buffer, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _write.WriteAsync(buffer, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => _write.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => _write.Write(buffer, offset, count);

        public override void Flush() => _write.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
