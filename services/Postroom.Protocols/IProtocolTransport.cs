using System.IO.Pipelines;

namespace Postroom.Protocols;

/// <summary>
/// The connection a protocol session (SMTP, IMAP, POP3) talks over. Kestrel provides it in the services, an
/// in-memory pipe in tests.
/// </summary>
public interface IProtocolTransport
{
    PipeReader Input { get; }

    PipeWriter Output { get; }

    /// <summary>Protocol and cipher when the connection is encrypted (implicit TLS or after STARTTLS), else null.</summary>
    string? TlsDescription { get; }

    /// <summary>
    /// Starts TLS as the server (RFC 3207, RFC 2595). The caller has already discarded any plaintext buffered
    /// after the command; afterwards <see cref="Input"/> and <see cref="Output"/> are the decrypted pipes.
    /// </summary>
    Task StartTlsAsync(CancellationToken cancellationToken);
}
