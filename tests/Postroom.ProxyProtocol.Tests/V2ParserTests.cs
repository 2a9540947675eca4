using System.Net;

namespace Postroom.ProxyProtocol.Tests;

public sealed class V2ParserTests
{
    private static readonly IPEndPoint Source4 = new(IPAddress.Parse("192.0.2.1"), 56324);
    private static readonly IPEndPoint Destination4 = new(IPAddress.Parse("198.51.100.2"), 25);
    private static readonly IPEndPoint Source6 = new(IPAddress.Parse("2001:db8::1"), 40000);
    private static readonly IPEndPoint Destination6 = new(IPAddress.Parse("2001:db8::2"), 993);

    public static TheoryData<string, byte[], IPEndPoint, IPEndPoint, string?> ValidProxyHeaders => new()
    {
        { "IPv4, no TLV", Bytes.V2(0x21, 0x11, Bytes.AddressBlock(Source4, Destination4)), Source4, Destination4, null },
        {
            "IPv4 with NOOP, AUTHORITY and AWS TLVs",
            Bytes.V2(0x21, 0x11, Bytes.Concat(
                Bytes.AddressBlock(Source4, Destination4),
                Bytes.Tlv(0x04, []),
                Bytes.Tlv(0x02, Bytes.Ascii("mail.example.com")),
                Bytes.Tlv(0xEA, Bytes.Ascii("\u0001vpce-08d2bf15fac5001c9")))),
            Source4, Destination4, "mail.example.com"
        },
        { "IPv6, no TLV", Bytes.V2(0x21, 0x21, Bytes.AddressBlock(Source6, Destination6)), Source6, Destination6, null },
        {
            "IPv6 with CRC32C and SSL TLVs",
            Bytes.V2(0x21, 0x21, Bytes.Concat(
                Bytes.AddressBlock(Source6, Destination6),
                Bytes.Tlv(0x03, [1, 2, 3, 4]),
                Bytes.Tlv(0x20, [0x01, 0, 0, 0, 0, 0x21, 0x00, 0x07, .. Bytes.Ascii("TLSv1.3")]))),
            Source6, Destination6, null
        },
        {
            "non-printable AUTHORITY is not exposed",
            Bytes.V2(0x21, 0x11, Bytes.Concat(Bytes.AddressBlock(Source4, Destination4), Bytes.Tlv(0x02, [0x6D, 0x00, 0x78]))),
            Source4, Destination4, null
        },
        {
            "first AUTHORITY wins",
            Bytes.V2(0x21, 0x11, Bytes.Concat(
                Bytes.AddressBlock(Source4, Destination4),
                Bytes.Tlv(0x02, Bytes.Ascii("a.example")),
                Bytes.Tlv(0x02, Bytes.Ascii("b.example")))),
            Source4, Destination4, "a.example"
        },
        {
            "ports 0 and 65535",
            Bytes.V2(0x21, 0x11, Bytes.AddressBlock(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 0), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 65535))),
            new IPEndPoint(IPAddress.Parse("10.0.0.1"), 0), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 65535), null
        },
    };

    [Theory]
    [MemberData(nameof(ValidProxyHeaders))]
    public void Valid_proxy_headers_yield_the_announced_endpoints(string name, byte[] data, IPEndPoint source, IPEndPoint destination, string? authority)
    {
        ParseOutcome outcome = ParserHarness.Parse(data);

        Assert.True(outcome.Status == ProxyParseStatus.Success, name + ": " + outcome.Error);
        Assert.Equal(data.Length, outcome.Consumed);
        ProxyHeader header = outcome.Header!;
        Assert.Equal(2, header.Version);
        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Equal(source, header.SourceEndPoint);
        Assert.Equal(destination, header.DestinationEndPoint);
        Assert.Equal(authority, header.Authority);
    }

    [Fact]
    public void Known_wire_capture_from_haproxy_parses()
    {
        // haproxy "send-proxy-v2" for 172.19.0.1:42578 -> 172.19.0.3:80, followed by the HTTP request.
        byte[] data = Bytes.FromHex("0d0a0d0a000d0a515549540a 21 11 000c ac130001 ac130003 a652 0050 474554");

        ParseOutcome outcome = ParserHarness.Parse(data);

        Assert.Equal(ProxyParseStatus.Success, outcome.Status);
        Assert.Equal(28, outcome.Consumed);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("172.19.0.1"), 42578), outcome.Header!.SourceEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("172.19.0.3"), 80), outcome.Header.DestinationEndPoint);
    }

    public static TheoryData<string, byte[], ProxyCommand> HeadersWithoutUsableAddresses => new()
    {
        { "LOCAL, UNSPEC, empty", Bytes.V2(0x20, 0x00, []), ProxyCommand.Local },
        { "LOCAL with an IPv4 block to ignore", Bytes.V2(0x20, 0x11, Bytes.AddressBlock(Source4, Destination4)), ProxyCommand.Local },
        { "LOCAL with a short, garbage body", Bytes.V2(0x20, 0x11, [0xFF, 0xFF, 0xFF]), ProxyCommand.Local },
        { "LOCAL with UNIX family", Bytes.V2(0x20, 0x31, []), ProxyCommand.Local },
        { "PROXY, AF_UNSPEC", Bytes.V2(0x21, 0x00, []), ProxyCommand.Unknown },
        { "PROXY, AF_UNSPEC with bytes", Bytes.V2(0x21, 0x00, [1, 2, 3]), ProxyCommand.Unknown },
        { "PROXY, AF_INET over UNSPEC transport", Bytes.V2(0x21, 0x10, []), ProxyCommand.Unknown },
    };

    [Theory]
    [MemberData(nameof(HeadersWithoutUsableAddresses))]
    public void Local_and_unspecified_headers_carry_no_endpoints(string name, byte[] data, ProxyCommand command)
    {
        ParseOutcome outcome = ParserHarness.Parse(data);

        Assert.True(outcome.Status == ProxyParseStatus.Success, name + ": " + outcome.Error);
        Assert.Equal(data.Length, outcome.Consumed);
        Assert.Equal(new ProxyHeader(command, null, null, 2), outcome.Header);
    }

    [Fact]
    public void Bytes_after_the_header_are_not_consumed()
    {
        byte[] header = Bytes.V2(0x21, 0x11, Bytes.Concat(Bytes.AddressBlock(Source4, Destination4), Bytes.Tlv(0x04, [0, 0])));
        byte[] clientHello = [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01];

        ParseOutcome outcome = ParserHarness.Parse(Bytes.Concat(header, clientHello));

        Assert.Equal(ProxyParseStatus.Success, outcome.Status);
        Assert.Equal(header.Length, outcome.Consumed);
    }

    private static byte[] WithByte(byte[] data, int index, byte value)
    {
        byte[] copy = (byte[])data.Clone();
        copy[index] = value;
        return copy;
    }

    public static TheoryData<string, byte[]> HostileHeaders
    {
        get
        {
            byte[] valid4 = Bytes.V2(0x21, 0x11, Bytes.AddressBlock(Source4, Destination4));
            byte[] block4 = Bytes.AddressBlock(Source4, Destination4);
            byte[] block6 = Bytes.AddressBlock(Source6, Destination6);
            var data = new TheoryData<string, byte[]>
            {
                { "version 1 nibble", WithByte(valid4, 12, 0x11) },
                { "version 3 nibble", WithByte(valid4, 12, 0x31) },
                { "version 0 nibble", WithByte(valid4, 12, 0x01) },
                { "command 2", WithByte(valid4, 12, 0x22) },
                { "command F", WithByte(valid4, 12, 0x2F) },
                { "family 4", WithByte(valid4, 13, 0x41) },
                { "family F", WithByte(valid4, 13, 0xF1) },
                { "transport 3", WithByte(valid4, 13, 0x13) },
                { "LOCAL with family 4", Bytes.V2(0x20, 0x40, []) },
                { "AF_UNIX", Bytes.V2(0x21, 0x31, new byte[216]) },
                { "DGRAM over IPv4", Bytes.V2(0x21, 0x12, block4) },
                { "DGRAM over IPv6", Bytes.V2(0x21, 0x22, block6) },
                { "IPv4 length 11", Bytes.V2(0x21, 0x11, block4[..11]) },
                { "IPv4 length 0", Bytes.V2(0x21, 0x11, []) },
                { "IPv6 length 35", Bytes.V2(0x21, 0x21, block6[..35]) },
                { "IPv6 announced with an IPv4 block", Bytes.V2(0x21, 0x21, block4) },
                { "length over the bound", Bytes.V2(0x21, 0x11, new byte[ProxyHeaderParser.MaxV2PayloadLength + 1]) },
                { "length 0xFFFF", Bytes.V2(0x21, 0x11, [], lengthField: 0xFFFF) },
                { "TLV value overruns", Bytes.V2(0x21, 0x11, Bytes.Concat(block4, [0x04, 0x00, 0x0A, 1, 2])) },
                { "TLV length 0xFFFF", Bytes.V2(0x21, 0x11, Bytes.Concat(block4, [0x02, 0xFF, 0xFF])) },
                { "one stray byte after the block", Bytes.V2(0x21, 0x11, Bytes.Concat(block4, [0x04])) },
                { "two stray bytes after the block", Bytes.V2(0x21, 0x11, Bytes.Concat(block4, [0x04, 0x00])) },
                { "second TLV overruns", Bytes.V2(0x21, 0x11, Bytes.Concat(block4, Bytes.Tlv(0x04, [9]), [0x02, 0x00, 0x05, 0x61])) },
            };
            for (int i = 0; i < Bytes.V2Signature.Length; i++)
            {
                data.Add("signature byte " + i.ToString(System.Globalization.CultureInfo.InvariantCulture), WithByte(valid4, i, (byte)(valid4[i] ^ 0x40)));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void Hostile_headers_are_invalid(string name, byte[] data)
    {
        ParseOutcome outcome = ParserHarness.Parse(data);

        Assert.True(outcome.Status == ProxyParseStatus.Invalid, name + ": " + outcome.Status);
    }

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void Hostile_headers_are_never_accepted_at_any_prefix(string name, byte[] data)
    {
        Assert.True(ParserHarness.FirstInvalidPrefix(data) > 0, name);
    }

    [Theory]
    [InlineData(0, 1)] // first signature byte
    [InlineData(4, 5)] // the NUL in the signature
    [InlineData(11, 12)] // last signature byte
    public void A_wrong_signature_byte_is_detected_when_it_arrives(int index, int expectedFirstInvalidLength)
    {
        byte[] data = WithByte(Bytes.V2(0x21, 0x11, Bytes.AddressBlock(Source4, Destination4)), index, 0x41);

        Assert.Equal(expectedFirstInvalidLength, ParserHarness.FirstInvalidPrefix(data));
    }

    [Theory]
    [InlineData(0x11, 0x11, 0x000C, 13)] // version checked at byte 13
    [InlineData(0x21, 0x41, 0x000C, 14)] // family checked at byte 14
    [InlineData(0x21, 0x11, 0xFFFF, 16)] // length bound checked at byte 16, before waiting for 64 KiB
    [InlineData(0x21, 0x11, 0x000B, 16)] // underflow checked at byte 16
    [InlineData(0x21, 0x31, 0x00D8, 16)] // AF_UNIX refused at byte 16
    public void Fixed_part_errors_are_detected_without_waiting_for_the_body(byte versionCommand, byte familyTransport, int lengthField, int expectedFirstInvalidLength)
    {
        byte[] fixedPart = Bytes.V2(versionCommand, familyTransport, [], lengthField);

        Assert.Equal(expectedFirstInvalidLength, ParserHarness.FirstInvalidPrefix(fixedPart));
    }

    [Fact]
    public void The_largest_accepted_length_is_accepted()
    {
        byte[] padding = new byte[ProxyHeaderParser.MaxV2PayloadLength - 12 - 3];
        byte[] data = Bytes.V2(0x21, 0x11, Bytes.Concat(Bytes.AddressBlock(Source4, Destination4), Bytes.Tlv(0x04, padding)));
        Assert.Equal(ProxyHeaderParser.V2FixedHeaderLength + ProxyHeaderParser.MaxV2PayloadLength, data.Length);

        ParseOutcome outcome = ParserHarness.Parse(data);

        Assert.Equal(ProxyParseStatus.Success, outcome.Status);
        Assert.Equal(data.Length, outcome.Consumed);
    }

    [Fact]
    public void A_truncated_header_needs_more_data_at_every_length()
    {
        byte[] data = Bytes.V2(0x21, 0x21, Bytes.Concat(Bytes.AddressBlock(Source6, Destination6), Bytes.Tlv(0x02, Bytes.Ascii("mx.example"))));

        ParseOutcome outcome = ParserHarness.ParseByteByByte(data);

        Assert.Equal(ProxyParseStatus.Success, outcome.Status);
        Assert.Equal("mx.example", outcome.Header!.Authority);
    }
}
