using System.IO.Pipelines;

namespace Postroom.Pop3.Session;

/// <summary>The connection a session talks over. Kestrel provides it in the service, an in-memory pipe in tests.</summary>
public interface IPop3Transport
{
    PipeReader Input { get; }

    PipeWriter Output { get; }

    /// <summary>Protocol and cipher when the connection is encrypted (implicit TLS or after STLS), else null.</summary>
    string? TlsDescription { get; }

    /// <summary>
    /// Starts TLS as the server (RFC 2595 §4). The caller has already discarded any plaintext buffered after
    /// the STLS command; afterwards <see cref="Input"/> and <see cref="Output"/> are the decrypted pipes.
    /// </summary>
    Task StartTlsAsync(CancellationToken cancellationToken);
}
