using System.IO.Pipelines;

namespace Postroom.Imap.Session;

/// <summary>The connection a session talks over. Kestrel provides it in the service, an in-memory pipe in tests.</summary>
public interface IImapTransport
{
    PipeReader Input { get; }

    PipeWriter Output { get; }

    /// <summary>Protocol and cipher when the connection is encrypted (implicit TLS or after STARTTLS), else null.</summary>
    string? TlsDescription { get; }

    /// <summary>
    /// Starts TLS as the server (RFC 3501 §6.2.1). The caller has already discarded any plaintext buffered after
    /// the STARTTLS command; afterwards <see cref="Input"/> and <see cref="Output"/> are the decrypted pipes.
    /// </summary>
    Task StartTlsAsync(CancellationToken cancellationToken);
}
