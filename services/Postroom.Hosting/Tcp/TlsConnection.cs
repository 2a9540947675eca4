using System.IO.Pipelines;
using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Postroom.Hosting.Tls;
using Postroom.Protocols;

namespace Postroom.Hosting.Tcp;

/// <summary>
/// The pipes of one TCP connection, which STARTTLS replaces with pipes over an SslStream. Shared by the SMTP,
/// IMAP and POP3 listeners.
/// </summary>
public sealed class TlsConnection : IProtocolTransport, IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private readonly ConnectionContext _context;
    private readonly CertificateProvider _certificates;
    private SslStream? _ssl;

    public TlsConnection(ConnectionContext context, CertificateProvider certificates)
    {
        _context = context;
        _certificates = certificates;
        Input = context.Transport.Input;
        Output = context.Transport.Output;
        if (context.Features.Get<ITlsHandshakeFeature>() is { } implicitTls)
        {
            // Implicit TLS (465, 993, 995): Kestrel did the handshake before the first protocol byte.
            TlsDescription = $"{implicitTls.Protocol} {implicitTls.NegotiatedCipherSuite}";
        }
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public string? TlsDescription { get; private set; }

    /// <summary>Runs the server side of a TLS handshake on the connection and swaps in the decrypted pipes.</summary>
    public async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HandshakeTimeout);
        _ssl = new SslStream(new DuplexPipeStream(_context.Transport), leaveInnerStreamOpen: false);
        await _ssl.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions { ServerCertificate = _certificates.Current, ClientCertificateRequired = false },
            timeout.Token).ConfigureAwait(false);
        Input = PipeReader.Create(_ssl, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(_ssl, new StreamPipeWriterOptions(leaveOpen: true));
        TlsDescription = $"{_ssl.SslProtocol} {_ssl.NegotiatedCipherSuite}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_ssl is not null)
        {
            await _ssl.DisposeAsync().ConfigureAwait(false);
        }
    }
}
