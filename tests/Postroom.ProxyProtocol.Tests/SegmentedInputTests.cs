using System.Buffers;
using System.Net;

namespace Postroom.ProxyProtocol.Tests;

/// <summary>Headers split across segments anywhere, and fed one byte at a time, parse exactly like contiguous ones.</summary>
public sealed class SegmentedInputTests
{
    public static TheoryData<string, byte[]> ValidHeaders => new()
    {
        { "v1 TCP4", Bytes.Ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n") },
        { "v1 TCP6", Bytes.Ascii("PROXY TCP6 2001:db8::1 2001:db8::2 40000 993\r\n") },
        { "v1 UNKNOWN", Bytes.Ascii("PROXY UNKNOWN\r\n") },
        { "v1 UNKNOWN with fields", Bytes.Ascii("PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n") },
        {
            "v2 IPv4 with TLV",
            Bytes.V2(0x21, 0x11, Bytes.Concat(
                Bytes.AddressBlock(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 56324), new IPEndPoint(IPAddress.Parse("198.51.100.2"), 25)),
                Bytes.Tlv(0x02, Bytes.Ascii("mail.example.com"))))
        },
        {
            "v2 IPv6",
            Bytes.V2(0x21, 0x21, Bytes.AddressBlock(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 40000), new IPEndPoint(IPAddress.Parse("2001:db8::2"), 993)))
        },
        { "v2 LOCAL", Bytes.V2(0x20, 0x00, []) },
    };

    private static readonly byte[] Trailer = Bytes.Ascii("EHLO x\r\n");

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void Every_proper_prefix_needs_more_data_and_the_whole_header_succeeds(string name, byte[] header)
    {
        ParseOutcome outcome = ParserHarness.ParseByteByByte(header);

        Assert.True(outcome.Status == ProxyParseStatus.Success, name);
        Assert.Equal(header.Length, outcome.Consumed);
    }

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void Every_chunk_size_gives_the_same_header(string name, byte[] header)
    {
        ProxyHeader expected = ParserHarness.Parse(header).Header!;
        byte[] data = Bytes.Concat(header, Trailer);

        for (int chunk = 1; chunk <= data.Length; chunk++)
        {
            ParseOutcome outcome = ParserHarness.Parse(Bytes.Segmented(data, chunk));

            Assert.True(outcome.Status == ProxyParseStatus.Success, name + " chunk " + chunk.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected, outcome.Header);
            Assert.Equal(header.Length, outcome.Consumed);
        }
    }

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void Every_single_split_point_with_empty_segments_gives_the_same_header(string name, byte[] header)
    {
        ProxyHeader expected = ParserHarness.Parse(header).Header!;
        byte[] data = Bytes.Concat(header, Trailer);

        for (int split = 0; split <= data.Length; split++)
        {
            ReadOnlySequence<byte> sequence = Bytes.Segmented([data[..split], [], data[split..], []]);
            ParseOutcome outcome = ParserHarness.Parse(sequence);

            Assert.True(outcome.Status == ProxyParseStatus.Success, name + " split " + split.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected, outcome.Header);
            Assert.Equal(header.Length, outcome.Consumed);
            Assert.Equal(Trailer, sequence.Slice(outcome.Consumed).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void Every_prefix_fed_as_one_byte_segments_needs_more_data(string name, byte[] header)
    {
        for (int length = 1; length < header.Length; length++)
        {
            ParseOutcome outcome = ParserHarness.Parse(Bytes.Segmented(header[..length], 1));

            Assert.True(outcome.Status == ProxyParseStatus.NeedMoreData, name + " length " + length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Hostile_v1_input_is_invalid_in_one_byte_segments_too()
    {
        Assert.Equal(ProxyParseStatus.Invalid, ParserHarness.Parse(Bytes.Segmented(Bytes.Ascii("PROXY TCP4 999.1.1.1 1.2.3.4 1 2\r\n"), 1)).Status);
        Assert.Equal(ProxyParseStatus.Invalid, ParserHarness.Parse(Bytes.Segmented(Bytes.Ascii("PROXY UNKNOWN " + new string('x', 120)), 1)).Status);
        Assert.Equal(ProxyParseStatus.Invalid, ParserHarness.Parse(Bytes.Segmented(Bytes.Ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n"), 3)).Status);
    }

    [Fact]
    public void Tlv_overrun_is_invalid_in_one_byte_segments_too()
    {
        byte[] block = Bytes.AddressBlock(new IPEndPoint(IPAddress.Loopback, 1), new IPEndPoint(IPAddress.Loopback, 2));
        byte[] data = Bytes.V2(0x21, 0x11, Bytes.Concat(block, [0x04, 0x00, 0x09, 1]));

        Assert.Equal(ProxyParseStatus.Invalid, ParserHarness.Parse(Bytes.Segmented(data, 1)).Status);
    }
}
