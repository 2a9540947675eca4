using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postroom.ProxyProtocol;

/// <summary>
/// Parses HAProxy PROXY protocol headers, versions 1 and 2 (haproxy <c>doc/proxy-protocol.txt</c>), from the first bytes
/// of a connection. Pure: no I/O, no allocation beyond the result.
/// </summary>
/// <remarks>
/// <para>
/// The version is chosen from the first byte (<c>'P'</c> for v1, <c>CR</c> for v2); any other first byte, or any later
/// byte that contradicts the fixed prefix of the chosen version, is <see cref="ProxyParseStatus.Invalid"/> at once, so
/// a client that speaks its own protocol first (<c>EHLO</c>, a TLS ClientHello) is refused without waiting.
/// </para>
/// <para>
/// Bounded: a v1 header is never looked for beyond <see cref="MaxV1HeaderLength"/> bytes, and a v2 header never
/// announces more than <see cref="MaxV2PayloadLength"/> bytes after its 16-byte fixed part, so
/// <see cref="ProxyParseStatus.NeedMoreData"/> is only ever returned while fewer than
/// <c>16 + MaxV2PayloadLength</c> bytes are buffered.
/// </para>
/// <para>Decisions beyond the letter of the specification:</para>
/// <list type="bullet">
/// <item>v1 is strict: single spaces, printable ASCII only, IPv4 addresses as exactly four decimal numbers without
/// leading zeros (the specification forbids them to avoid octal confusion), IPv6 addresses without zone ids, ports as
/// 1-5 decimal digits in 0-65535 without sign and without leading zeros ("0" itself is allowed).</item>
/// <item>v1 <c>UNKNOWN</c> may be followed by anything printable up to CRLF, which is ignored (section 2.1).</item>
/// <item>v2 <c>LOCAL</c>: the address block and TLVs are skipped without interpretation (section 2.2), but the family
/// and transport nibbles must still be defined values.</item>
/// <item>v2 <c>PROXY</c> with <c>AF_UNSPEC</c>, or with <c>AF_INET</c>/<c>AF_INET6</c> over <c>UNSPEC</c> transport,
/// is <see cref="ProxyCommand.Unknown"/>; its remaining bytes are skipped.</item>
/// <item>v2 <c>AF_UNIX</c> is <see cref="ProxyParseStatus.Invalid"/>: a cloud load balancer in front of mail listeners
/// never relays Unix-socket clients, and attributing such a connection to the load balancer's own address could give it
/// the load balancer's trust.</item>
/// <item>v2 <c>DGRAM</c> transport is <see cref="ProxyParseStatus.Invalid"/>: these are stream listeners.</item>
/// <item>v2 TLVs after the address block must tile the remaining length exactly; their contents are skipped, except
/// <c>PP2_TYPE_AUTHORITY</c> which is exposed as <see cref="ProxyHeader.Authority"/>. CRC32C is not verified.</item>
/// </list>
/// </remarks>
public static class ProxyHeaderParser
{
    /// <summary>Section 2.1: a v1 header is at most 107 bytes including the CRLF.</summary>
    public const int MaxV1HeaderLength = 107;

    /// <summary>Section 2.2: signature (12), version/command (1), family/transport (1), length (2).</summary>
    public const int V2FixedHeaderLength = 16;

    /// <summary>
    /// Largest v2 length field accepted (address block plus TLVs). The specification allows 65535; a 216-byte Unix
    /// address block plus authority, SSL and cloud-vendor TLVs fit comfortably in this bound.
    /// </summary>
    public const int MaxV2PayloadLength = 1024;

    private const int MaxV1AddressLength = 45; // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
    private const int MaxV1ProtocolLength = 7; // "UNKNOWN"
    private const int MaxV1PortLength = 5; // "65535"
    private const int IPv4AddressBlockLength = 12;
    private const int IPv6AddressBlockLength = 36;
    private const byte V2CommandLocal = 0x0;
    private const byte V2CommandProxy = 0x1;
    private const byte V2FamilyUnspec = 0x0;
    private const byte V2FamilyInet = 0x1;
    private const byte V2FamilyInet6 = 0x2;
    private const byte V2FamilyUnix = 0x3;
    private const byte V2TransportUnspec = 0x0;
    private const byte V2TransportStream = 0x1;
    private const byte V2TransportDgram = 0x2;
    private const byte Pp2TypeAuthority = 0x02;
    private const int MaxAuthorityLength = 255;

    private static ReadOnlySpan<byte> V1Signature => "PROXY "u8;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private static ReadOnlySpan<byte> Tcp4 => "TCP4"u8;

    private static ReadOnlySpan<byte> Tcp6 => "TCP6"u8;

    private static ReadOnlySpan<byte> UnknownProtocol => "UNKNOWN"u8;

    /// <summary>
    /// Section 2 ("The PROXY protocol header"): parses a v1 or v2 header at the start of <paramref name="buffer"/>.
    /// </summary>
    /// <param name="buffer">The bytes received so far; may span any number of segments, split anywhere.</param>
    /// <param name="header">The header when <see cref="ProxyParseStatus.Success"/>; otherwise <see langword="null"/>.</param>
    /// <param name="consumed">Just past the header when <see cref="ProxyParseStatus.Success"/>; otherwise the start of
    /// <paramref name="buffer"/>. Bytes after the header (pipelined protocol bytes, a TLS ClientHello) are not part of it.</param>
    /// <param name="error">Why the bytes are invalid when <see cref="ProxyParseStatus.Invalid"/>; otherwise <see langword="null"/>.</param>
    public static ProxyParseStatus TryParse(ReadOnlySequence<byte> buffer, out ProxyHeader header, out SequencePosition consumed, out string? error)
    {
        consumed = buffer.Start;
        var reader = new SequenceReader<byte>(buffer);
        ProxyParseStatus status;
        if (!reader.TryPeek(out byte first))
        {
            header = null!;
            error = null;
            return ProxyParseStatus.NeedMoreData;
        }

        if (first == V1Signature[0])
        {
            status = TryParseV1Header(ref reader, out header, out error);
        }
        else if (first == V2Signature[0])
        {
            status = TryParseV2Header(ref reader, out header, out error);
        }
        else
        {
            header = null!;
            error = "not a PROXY protocol header";
            return ProxyParseStatus.Invalid;
        }

        if (status == ProxyParseStatus.Success)
        {
            consumed = reader.Position;
        }
        else
        {
            header = null!;
        }

        return status;
    }

    /// <summary>
    /// Section 2.1 (human-readable header, version 1):
    /// <c>"PROXY" SP ( "TCP4" | "TCP6" ) SP src SP dst SP sport SP dport CRLF</c> or <c>"PROXY" SP "UNKNOWN" [ SP any ] CRLF</c>,
    /// 107 bytes at most. The line is first bounded and screened for forbidden bytes, then its fields are parsed as far as
    /// they have arrived, so a bad field is reported before the CRLF.
    /// </summary>
    private static ProxyParseStatus TryParseV1Header(ref SequenceReader<byte> reader, out ProxyHeader header, out string? error)
    {
        header = null!;
        ProxyParseStatus lineStatus = TryParseV1LineBounds(reader, out long lineLength, out error);
        if (lineStatus == ProxyParseStatus.Invalid)
        {
            return lineStatus;
        }

        var line = new SequenceReader<byte>(reader.UnreadSequence.Slice(0, lineLength));
        ProxyParseStatus status = TryParseV1Line(ref line, out header, out error);
        if (status == ProxyParseStatus.NeedMoreData)
        {
            if (lineStatus == ProxyParseStatus.Success)
            {
                // Cannot happen: every field stops at the CR, which is present. Kept as a guard, not a wait.
                error = "truncated v1 header";
                return ProxyParseStatus.Invalid;
            }

            return status;
        }

        if (status == ProxyParseStatus.Success)
        {
            if (!line.End)
            {
                error = "trailing bytes in v1 header";
                return ProxyParseStatus.Invalid;
            }

            reader.Advance(line.Consumed);
        }

        return status;
    }

    /// <summary>
    /// Section 2.1: the line ends at the first CRLF and is at most 107 bytes long; the fields are printable US-ASCII
    /// separated by single spaces. Returns <see cref="ProxyParseStatus.Success"/> with the line length including CRLF,
    /// or <see cref="ProxyParseStatus.NeedMoreData"/> with the length available so far (always below the limit).
    /// A bare LF, a CR not followed by LF, a control or non-ASCII byte, or 107 bytes without CRLF are invalid.
    /// </summary>
    private static ProxyParseStatus TryParseV1LineBounds(SequenceReader<byte> reader, out long length, out string? error)
    {
        length = 0;
        while (length < MaxV1HeaderLength && reader.TryRead(out byte b))
        {
            length++;
            if (b == '\r')
            {
                if (length == MaxV1HeaderLength)
                {
                    error = "v1 header longer than 107 bytes";
                    return ProxyParseStatus.Invalid;
                }

                if (!reader.TryPeek(out byte next))
                {
                    error = null;
                    return ProxyParseStatus.NeedMoreData;
                }

                if (next != '\n')
                {
                    error = "CR not followed by LF in v1 header";
                    return ProxyParseStatus.Invalid;
                }

                length++;
                error = null;
                return ProxyParseStatus.Success;
            }

            if (b == '\n')
            {
                error = "bare LF in v1 header";
                return ProxyParseStatus.Invalid;
            }

            if (b is < 0x20 or > 0x7E)
            {
                error = "control or non-ASCII byte in v1 header";
                return ProxyParseStatus.Invalid;
            }
        }

        if (length >= MaxV1HeaderLength)
        {
            error = "v1 header longer than 107 bytes";
            return ProxyParseStatus.Invalid;
        }

        error = null;
        return ProxyParseStatus.NeedMoreData;
    }

    /// <summary>Section 2.1: the fields of a v1 line, in order.</summary>
    private static ProxyParseStatus TryParseV1Line(ref SequenceReader<byte> reader, out ProxyHeader header, out string? error)
    {
        header = null!;
        ProxyParseStatus status;
        if ((status = TryParseLiteral(ref reader, V1Signature, "\"PROXY \"", out error)) != ProxyParseStatus.Success
            || (status = TryParseV1Protocol(ref reader, out AddressFamily family, out error)) != ProxyParseStatus.Success)
        {
            return status;
        }

        if (family == AddressFamily.Unspecified)
        {
            if ((status = TryParseV1UnknownRemainder(ref reader, out error)) != ProxyParseStatus.Success
                || (status = TryParseLiteral(ref reader, Crlf, "CRLF", out error)) != ProxyParseStatus.Success)
            {
                return status;
            }

            header = new ProxyHeader(ProxyCommand.Unknown, null, null, 1);
            return ProxyParseStatus.Success;
        }

        IPAddress source = IPAddress.None;
        IPAddress destination = IPAddress.None;
        int sourcePort = 0;
        int destinationPort = 0;
        if ((status = TryParseV1Space(ref reader, out error)) != ProxyParseStatus.Success
            || (status = TryParseV1Address(ref reader, family, "source address", out source, out error)) != ProxyParseStatus.Success
            || (status = TryParseV1Space(ref reader, out error)) != ProxyParseStatus.Success
            || (status = TryParseV1Address(ref reader, family, "destination address", out destination, out error)) != ProxyParseStatus.Success
            || (status = TryParseV1Space(ref reader, out error)) != ProxyParseStatus.Success
            || (status = TryParseV1Port(ref reader, "source port", out sourcePort, out error)) != ProxyParseStatus.Success
            || (status = TryParseV1Space(ref reader, out error)) != ProxyParseStatus.Success
            || (status = TryParseV1Port(ref reader, "destination port", out destinationPort, out error)) != ProxyParseStatus.Success
            || (status = TryParseLiteral(ref reader, Crlf, "CRLF", out error)) != ProxyParseStatus.Success)
        {
            return status;
        }

        header = new ProxyHeader(
            ProxyCommand.Proxy,
            new IPEndPoint(source, sourcePort),
            new IPEndPoint(destination, destinationPort),
            1);
        return ProxyParseStatus.Success;
    }

    /// <summary>
    /// Section 2.1, the INET protocol and family: exactly <c>TCP4</c>, <c>TCP6</c> or <c>UNKNOWN</c>
    /// (<see cref="AddressFamily.Unspecified"/>).
    /// </summary>
    private static ProxyParseStatus TryParseV1Protocol(ref SequenceReader<byte> reader, out AddressFamily family, out string? error)
    {
        family = AddressFamily.Unknown;
        Span<byte> field = stackalloc byte[MaxV1ProtocolLength];
        ProxyParseStatus status = TryReadV1Field(ref reader, field, "protocol", out int length, out error);
        if (status != ProxyParseStatus.Success)
        {
            return status;
        }

        field = field[..length];
        if (field.SequenceEqual(Tcp4))
        {
            family = AddressFamily.InterNetwork;
        }
        else if (field.SequenceEqual(Tcp6))
        {
            family = AddressFamily.InterNetworkV6;
        }
        else if (field.SequenceEqual(UnknownProtocol))
        {
            family = AddressFamily.Unspecified;
        }
        else
        {
            error = "unsupported v1 protocol";
            return ProxyParseStatus.Invalid;
        }

        return ProxyParseStatus.Success;
    }

    /// <summary>
    /// Section 2.1: after <c>UNKNOWN</c> the receiver ignores everything up to the CRLF; it must be either the CRLF itself
    /// or a space followed by anything (already screened to printable ASCII).
    /// </summary>
    private static ProxyParseStatus TryParseV1UnknownRemainder(ref SequenceReader<byte> reader, out string? error)
    {
        error = null;
        if (!reader.TryPeek(out byte next))
        {
            return ProxyParseStatus.NeedMoreData;
        }

        if (next == '\r')
        {
            return ProxyParseStatus.Success;
        }

        if (next != ' ')
        {
            error = "expected SP or CRLF after UNKNOWN";
            return ProxyParseStatus.Invalid;
        }

        return reader.TryAdvanceTo((byte)'\r', advancePastDelimiter: false)
            ? ProxyParseStatus.Success
            : ProxyParseStatus.NeedMoreData;
    }

    /// <summary>Section 2.1: fields are separated by exactly one space.</summary>
    private static ProxyParseStatus TryParseV1Space(ref SequenceReader<byte> reader, out string? error) =>
        TryParseLiteral(ref reader, " "u8, "single SP", out error);

    /// <summary>
    /// Section 2.1, source and destination address: an address of the family announced by the protocol field.
    /// IPv4 is four decimal numbers 0-255 without leading zeros; IPv6 is RFC 4291 text without zone id.
    /// </summary>
    private static ProxyParseStatus TryParseV1Address(ref SequenceReader<byte> reader, AddressFamily family, string name, out IPAddress address, out string? error)
    {
        address = IPAddress.None;
        Span<byte> field = stackalloc byte[MaxV1AddressLength];
        ProxyParseStatus status = TryReadV1Field(ref reader, field, name, out int length, out error);
        if (status != ProxyParseStatus.Success)
        {
            return status;
        }

        bool valid = family == AddressFamily.InterNetwork
            ? TryParseIPv4Text(field[..length], out address)
            : TryParseIPv6Text(field[..length], out address);
        if (!valid)
        {
            error = family == AddressFamily.InterNetwork ? "invalid IPv4 " + name : "invalid IPv6 " + name;
            return ProxyParseStatus.Invalid;
        }

        return ProxyParseStatus.Success;
    }

    /// <summary>Section 2.1, source and destination port: 1-5 decimal digits, 0-65535, no sign, no leading zero.</summary>
    private static ProxyParseStatus TryParseV1Port(ref SequenceReader<byte> reader, string name, out int port, out string? error)
    {
        port = 0;
        Span<byte> field = stackalloc byte[MaxV1PortLength];
        ProxyParseStatus status = TryReadV1Field(ref reader, field, name, out int length, out error);
        if (status != ProxyParseStatus.Success)
        {
            return status;
        }

        field = field[..length];
        if (field.Length > 1 && field[0] == '0')
        {
            error = name + " has a leading zero";
            return ProxyParseStatus.Invalid;
        }

        foreach (byte digit in field)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                error = name + " is not decimal";
                return ProxyParseStatus.Invalid;
            }

            port = (port * 10) + (digit - '0');
        }

        if (port > IPEndPoint.MaxPort)
        {
            error = name + " out of range";
            return ProxyParseStatus.Invalid;
        }

        return ProxyParseStatus.Success;
    }

    /// <summary>
    /// Reads one v1 field: the bytes before the next SP or CR, which is left unread. An empty field (two spaces in a row)
    /// or one longer than <paramref name="destination"/> is invalid; a field not yet terminated needs more data.
    /// </summary>
    private static ProxyParseStatus TryReadV1Field(ref SequenceReader<byte> reader, scoped Span<byte> destination, string name, out int length, out string? error)
    {
        length = 0;
        while (reader.TryPeek(out byte b))
        {
            if (b is (byte)' ' or (byte)'\r')
            {
                if (length == 0)
                {
                    error = "empty " + name + " in v1 header";
                    return ProxyParseStatus.Invalid;
                }

                error = null;
                return ProxyParseStatus.Success;
            }

            if (length == destination.Length)
            {
                error = name + " too long in v1 header";
                return ProxyParseStatus.Invalid;
            }

            destination[length++] = b;
            reader.Advance(1);
        }

        error = null;
        return ProxyParseStatus.NeedMoreData;
    }

    /// <summary>Strict dotted-quad: exactly four decimal numbers 0-255, no leading zeros, nothing else.</summary>
    private static bool TryParseIPv4Text(ReadOnlySpan<byte> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> octets = stackalloc byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        foreach (byte c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || part == 3)
                {
                    return false;
                }

                octets[part++] = (byte)value;
                value = 0;
                digits = 0;
            }
            else if (c is >= (byte)'0' and <= (byte)'9')
            {
                if (digits == 1 && value == 0)
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
                digits++;
                if (value > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (part != 3 || digits == 0)
        {
            return false;
        }

        octets[3] = (byte)value;
        address = new IPAddress(octets);
        return true;
    }

    /// <summary>IPv6 text: hex digits, colons and (for an embedded IPv4 tail) dots only, so no zone id or brackets.</summary>
    private static bool TryParseIPv6Text(ReadOnlySpan<byte> text, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        Span<char> chars = stackalloc char[MaxV1AddressLength];
        if (text.Length > chars.Length || text.IndexOf((byte)':') < 0)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = (char)text[i];
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                return false;
            }

            chars[i] = c;
        }

        if (!IPAddress.TryParse(chars[..text.Length], out IPAddress? parsed)
            || parsed.AddressFamily != AddressFamily.InterNetworkV6
            || parsed.ScopeId != 0)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>
    /// Section 2.2 (binary header, version 2): the 16-byte fixed part, then <c>len</c> bytes of address block and TLVs.
    /// The fixed part is validated byte by byte as it arrives; the body is awaited only once its length is known to be
    /// within <see cref="MaxV2PayloadLength"/> and consistent with the family.
    /// </summary>
    private static ProxyParseStatus TryParseV2Header(ref SequenceReader<byte> reader, out ProxyHeader header, out string? error)
    {
        header = null!;
        ProxyParseStatus status;
        if ((status = TryParseLiteral(ref reader, V2Signature, "v2 signature", out error)) != ProxyParseStatus.Success
            || (status = TryParseV2VersionCommand(ref reader, out byte command, out error)) != ProxyParseStatus.Success
            || (status = TryParseV2FamilyTransport(ref reader, out byte family, out byte transport, out error)) != ProxyParseStatus.Success
            || (status = TryParseV2Length(ref reader, command, family, transport, out int length, out error)) != ProxyParseStatus.Success)
        {
            return status;
        }

        if (reader.Remaining < length)
        {
            return ProxyParseStatus.NeedMoreData;
        }

        var body = new SequenceReader<byte>(reader.UnreadSequence.Slice(0, length));
        if (command == V2CommandLocal)
        {
            // Section 2.2: for LOCAL "the receiver must ... ignore the address information".
            header = new ProxyHeader(ProxyCommand.Local, null, null, 2);
        }
        else if (family == V2FamilyUnspec || transport == V2TransportUnspec)
        {
            // Section 2.2: unknown/unspecified protocol; the real connection's endpoints apply.
            header = new ProxyHeader(ProxyCommand.Unknown, null, null, 2);
        }
        else
        {
            if ((status = TryParseV2Addresses(ref body, family, out IPEndPoint? source, out IPEndPoint? destination, out error)) != ProxyParseStatus.Success
                || (status = TryParseV2Tlvs(ref body, out string? authority, out error)) != ProxyParseStatus.Success)
            {
                return status;
            }

            header = new ProxyHeader(ProxyCommand.Proxy, source, destination, 2) { Authority = authority };
        }

        reader.Advance(length);
        return ProxyParseStatus.Success;
    }

    /// <summary>
    /// Section 2.2, 13th byte: the high nibble is the version and must be <c>0x2</c>; the low nibble is the command,
    /// <c>0x0</c> LOCAL or <c>0x1</c> PROXY; other values must be rejected.
    /// </summary>
    private static ProxyParseStatus TryParseV2VersionCommand(ref SequenceReader<byte> reader, out byte command, out string? error)
    {
        command = 0;
        error = null;
        if (!reader.TryRead(out byte versionCommand))
        {
            return ProxyParseStatus.NeedMoreData;
        }

        if (versionCommand >> 4 != 0x2)
        {
            error = "unsupported v2 version";
            return ProxyParseStatus.Invalid;
        }

        command = (byte)(versionCommand & 0x0F);
        if (command is not (V2CommandLocal or V2CommandProxy))
        {
            error = "unsupported v2 command";
            return ProxyParseStatus.Invalid;
        }

        return ProxyParseStatus.Success;
    }

    /// <summary>
    /// Section 2.2, 14th byte: the high nibble is the address family (UNSPEC, INET, INET6, UNIX), the low nibble the
    /// transport (UNSPEC, STREAM, DGRAM); other values must be rejected. Policy: UNIX and DGRAM are refused for PROXY.
    /// </summary>
    private static ProxyParseStatus TryParseV2FamilyTransport(ref SequenceReader<byte> reader, out byte family, out byte transport, out string? error)
    {
        family = 0;
        transport = 0;
        error = null;
        if (!reader.TryRead(out byte familyTransport))
        {
            return ProxyParseStatus.NeedMoreData;
        }

        family = (byte)(familyTransport >> 4);
        transport = (byte)(familyTransport & 0x0F);
        if (family > V2FamilyUnix)
        {
            error = "unsupported v2 address family";
            return ProxyParseStatus.Invalid;
        }

        if (transport > V2TransportDgram)
        {
            error = "unsupported v2 transport";
            return ProxyParseStatus.Invalid;
        }

        return ProxyParseStatus.Success;
    }

    /// <summary>
    /// Section 2.2, 15th and 16th bytes: the big-endian length of what follows. It must not exceed
    /// <see cref="MaxV2PayloadLength"/> and, for a PROXY header that will be read, must hold the family's address block
    /// (12 bytes for INET, 36 for INET6).
    /// </summary>
    private static ProxyParseStatus TryParseV2Length(ref SequenceReader<byte> reader, byte command, byte family, byte transport, out int length, out string? error)
    {
        length = 0;
        error = null;
        if (!reader.TryReadBigEndian(out short rawLength))
        {
            return ProxyParseStatus.NeedMoreData;
        }

        length = (ushort)rawLength;
        if (length > MaxV2PayloadLength)
        {
            error = "v2 header length exceeds the supported maximum";
            return ProxyParseStatus.Invalid;
        }

        if (command != V2CommandProxy)
        {
            return ProxyParseStatus.Success;
        }

        if (family == V2FamilyUnix)
        {
            error = "v2 AF_UNIX sources are not accepted";
            return ProxyParseStatus.Invalid;
        }

        if (transport == V2TransportDgram && family != V2FamilyUnspec)
        {
            error = "v2 DGRAM transport is not accepted on a stream listener";
            return ProxyParseStatus.Invalid;
        }

        int required = transport == V2TransportUnspec ? 0 : family switch
        {
            V2FamilyInet => IPv4AddressBlockLength,
            V2FamilyInet6 => IPv6AddressBlockLength,
            _ => 0,
        };
        if (length < required)
        {
            error = "v2 header length too short for its address family";
            return ProxyParseStatus.Invalid;
        }

        return ProxyParseStatus.Success;
    }

    /// <summary>
    /// Section 2.2, address block: for AF_INET 4+4 address bytes, for AF_INET6 16+16, then source and destination
    /// ports, all in network byte order.
    /// </summary>
    private static ProxyParseStatus TryParseV2Addresses(ref SequenceReader<byte> reader, byte family, out IPEndPoint? source, out IPEndPoint? destination, out string? error)
    {
        source = null;
        destination = null;
        int addressLength = family == V2FamilyInet ? 4 : 16;
        Span<byte> block = stackalloc byte[IPv6AddressBlockLength];
        block = block[..((2 * addressLength) + 4)];
        if (!reader.TryCopyTo(block))
        {
            error = "v2 address block truncated";
            return ProxyParseStatus.Invalid;
        }

        reader.Advance(block.Length);
        source = new IPEndPoint(
            new IPAddress(block[..addressLength]),
            BinaryPrimitives.ReadUInt16BigEndian(block[(2 * addressLength)..]));
        destination = new IPEndPoint(
            new IPAddress(block.Slice(addressLength, addressLength)),
            BinaryPrimitives.ReadUInt16BigEndian(block[((2 * addressLength) + 2)..]));
        error = null;
        return ProxyParseStatus.Success;
    }

    /// <summary>
    /// Section 2.2, TLV vectors: <c>type</c> (1 byte), <c>length</c> (2 bytes, big-endian), <c>value</c>, repeated until the
    /// header's length is used up. A truncated TLV header or a value running past the end is invalid. Section 2.2.2:
    /// <c>PP2_TYPE_AUTHORITY</c> (0x02) carries a host name; the first one is kept when it is printable ASCII.
    /// </summary>
    private static ProxyParseStatus TryParseV2Tlvs(ref SequenceReader<byte> reader, out string? authority, out string? error)
    {
        authority = null;
        while (!reader.End)
        {
            if (!reader.TryRead(out byte type) || !reader.TryReadBigEndian(out short rawLength))
            {
                error = "truncated v2 TLV header";
                return ProxyParseStatus.Invalid;
            }

            int length = (ushort)rawLength;
            if (reader.Remaining < length)
            {
                error = "v2 TLV overruns the header";
                return ProxyParseStatus.Invalid;
            }

            if (type == Pp2TypeAuthority && authority is null)
            {
                authority = DecodeAuthority(reader.UnreadSequence.Slice(0, length));
            }

            reader.Advance(length);
        }

        error = null;
        return ProxyParseStatus.Success;
    }

    private static string? DecodeAuthority(ReadOnlySequence<byte> value)
    {
        if (value.IsEmpty || value.Length > MaxAuthorityLength)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[MaxAuthorityLength];
        bytes = bytes[..(int)value.Length];
        value.CopyTo(bytes);
        foreach (byte b in bytes)
        {
            if (b is <= 0x20 or > 0x7E)
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>
    /// Matches a fixed byte string, failing at the first byte that differs, so a peer that is not sending this element
    /// is found out as soon as that byte arrives.
    /// </summary>
    private static ProxyParseStatus TryParseLiteral(ref SequenceReader<byte> reader, ReadOnlySpan<byte> literal, string name, out string? error)
    {
        for (int i = 0; i < literal.Length; i++)
        {
            if (!reader.TryRead(out byte b))
            {
                error = null;
                return ProxyParseStatus.NeedMoreData;
            }

            if (b != literal[i])
            {
                error = "expected " + name;
                return ProxyParseStatus.Invalid;
            }
        }

        error = null;
        return ProxyParseStatus.Success;
    }
}
