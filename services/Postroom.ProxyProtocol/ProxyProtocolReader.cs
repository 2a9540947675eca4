using System.Buffers;
using System.IO.Pipelines;
using System.Net;

namespace Postroom.ProxyProtocol;

/// <summary>
/// Reads the PROXY protocol header at the start of a connection on a PROXY-enabled listener and decides whether the
/// connection may proceed, and as which client.
/// </summary>
/// <remarks>
/// Only peers inside the configured load-balancer networks may send a header; everyone else is refused before a byte is
/// read. A trusted peer must send a valid header within the timeout, or it is refused too: on a PROXY-enabled listener
/// there is no fallback to the raw connection (the specification forbids guessing).
/// </remarks>
public static class ProxyProtocolReader
{
    /// <summary>A sensible bound on how long a load balancer may take to send its header.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The refusal reason for a peer outside the trusted networks.</summary>
    public const string UntrustedPeerReason = "peer not a trusted load balancer";

    /// <summary>
    /// Whether <paramref name="address"/> lies in one of <paramref name="trustedNetworks"/>. An IPv4-mapped IPv6 address
    /// (a dual-stack socket's view of an IPv4 peer) is matched as the IPv4 address it maps, and also as itself.
    /// </summary>
    public static bool IsTrustedPeer(IPAddress? address, IReadOnlyList<IPNetwork> trustedNetworks)
    {
        ArgumentNullException.ThrowIfNull(trustedNetworks);
        if (address is null)
        {
            return false;
        }

        IPAddress normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        for (int i = 0; i < trustedNetworks.Count; i++)
        {
            if (trustedNetworks[i].Contains(normalized) || trustedNetworks[i].Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Checks that <paramref name="remote"/> is a trusted load balancer, then reads and consumes exactly one PROXY header
    /// from <paramref name="input"/>. Bytes after the header stay in <paramref name="input"/>, immediately readable.
    /// </summary>
    /// <param name="input">The connection's input, positioned at its first byte.</param>
    /// <param name="remote">The real peer of the connection (the load balancer when behind one).</param>
    /// <param name="trustedNetworks">The load-balancer networks allowed to send a header.</param>
    /// <param name="timeout">How long to wait for a complete header (e.g. <see cref="DefaultTimeout"/>); positive or
    /// <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Aborts the wait; cancellation is rethrown, not turned into a refusal.</param>
    /// <returns>Accepted with the effective client (the header's source for PROXY, <paramref name="remote"/> for LOCAL
    /// and UNKNOWN), or Refused with a reason; on refusal the caller closes the connection.</returns>
    public static async ValueTask<ProxyProtocolResult> ReadAsync(
        PipeReader input,
        IPEndPoint? remote,
        IReadOnlyList<IPNetwork> trustedNetworks,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(trustedNetworks);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or infinite.");
        }

        if (remote is null || !IsTrustedPeer(remote.Address, trustedNetworks))
        {
            return ProxyProtocolResult.Refused(UntrustedPeerReason);
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ProxyProtocolResult.Refused("timed out waiting for the PROXY protocol header");
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition consumed = buffer.Start;
            SequencePosition examined = buffer.End;
            try
            {
                if (result.IsCanceled)
                {
                    return ProxyProtocolResult.Refused("reading the PROXY protocol header was canceled");
                }

                ProxyParseStatus status = ProxyHeaderParser.TryParse(buffer, out ProxyHeader header, out SequencePosition end, out string? error);
                if (status == ProxyParseStatus.Success)
                {
                    // Examined only up to the header: what follows is already buffered and must be readable at once,
                    // not after the next packet.
                    consumed = end;
                    examined = end;
                    IPEndPoint client = header.Command == ProxyCommand.Proxy && header.SourceEndPoint is not null
                        ? header.SourceEndPoint
                        : remote;
                    return ProxyProtocolResult.Accepted(client, header);
                }

                if (status == ProxyParseStatus.Invalid)
                {
                    return ProxyProtocolResult.Refused("invalid PROXY protocol header: " + error);
                }

                if (result.IsCompleted)
                {
                    return ProxyProtocolResult.Refused("connection closed before a complete PROXY protocol header");
                }
            }
            finally
            {
                input.AdvanceTo(consumed, examined);
            }
        }
    }
}
