using System.Net;

namespace Postroom.ProxyProtocol.Tests;

public sealed class V1ParserTests
{
    public static TheoryData<string, string, int, string, int> ValidProxyLines => new()
    {
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n", "192.0.2.1", 56324, "198.51.100.2", 25 },
        { "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", "255.255.255.255", 65535, "255.255.255.255", 65535 },
        { "PROXY TCP4 0.0.0.0 10.0.0.1 0 0\r\n", "0.0.0.0", 0, "10.0.0.1", 0 },
        { "PROXY TCP4 10.20.30.40 10.0.0.1 1 143\r\n", "10.20.30.40", 1, "10.0.0.1", 143 },
        { "PROXY TCP6 2001:db8::1 2001:db8::2 40000 993\r\n", "2001:db8::1", 40000, "2001:db8::2", 993 },
        { "PROXY TCP6 ::1 :: 1 2\r\n", "::1", 1, "::", 2 },
        { "PROXY TCP6 ::ffff:192.0.2.1 ::ffff:198.51.100.2 5000 110\r\n", "::ffff:192.0.2.1", 5000, "::ffff:198.51.100.2", 110 },
        { "PROXY TCP6 FFFF:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535 },
    };

    [Theory]
    [MemberData(nameof(ValidProxyLines))]
    public void Valid_tcp_lines_yield_the_announced_endpoints(string line, string source, int sourcePort, string destination, int destinationPort)
    {
        ParseOutcome outcome = ParserHarness.Parse(Bytes.Ascii(line));

        Assert.Equal(ProxyParseStatus.Success, outcome.Status);
        Assert.Equal(line.Length, outcome.Consumed);
        ProxyHeader header = outcome.Header!;
        Assert.Equal(1, header.Version);
        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(source), sourcePort), header.SourceEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(destination), destinationPort), header.DestinationEndPoint);
        Assert.Null(header.Authority);
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData("PROXY UNKNOWN 192.0.2.1 198.51.100.2 56324 25\r\n")]
    [InlineData("PROXY UNKNOWN whatever the sender likes, ignored\r\n")]
    [InlineData("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n")]
    public void Unknown_lines_are_accepted_without_endpoints(string line)
    {
        ParseOutcome outcome = ParserHarness.Parse(Bytes.Ascii(line));

        Assert.Equal(ProxyParseStatus.Success, outcome.Status);
        Assert.Equal(line.Length, outcome.Consumed);
        Assert.Equal(new ProxyHeader(ProxyCommand.Unknown, null, null, 1), outcome.Header);
    }

    [Fact]
    public void The_longest_legal_line_is_exactly_107_bytes_and_one_more_is_refused()
    {
        string longest = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
        Assert.Equal(ProxyHeaderParser.MaxV1HeaderLength, longest.Length);
        Assert.Equal(ProxyParseStatus.Success, ParserHarness.Parse(Bytes.Ascii(longest)).Status);

        string tooLong = longest.Replace("65535 65535", "65535 655355", StringComparison.Ordinal);
        Assert.Equal(108, tooLong.Length);
        Assert.Equal(ProxyParseStatus.Invalid, ParserHarness.Parse(Bytes.Ascii(tooLong)).Status);
    }

    [Fact]
    public void Bytes_after_the_crlf_are_not_consumed()
    {
        const string line = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n";

        ParseOutcome outcome = ParserHarness.Parse(Bytes.Ascii(line + "EHLO client.example\r\n"));

        Assert.Equal(ProxyParseStatus.Success, outcome.Status);
        Assert.Equal(line.Length, outcome.Consumed);
    }

    [Fact]
    public void Over_107_bytes_without_crlf_is_invalid_at_the_limit_not_later()
    {
        byte[] data = Bytes.Ascii("PROXY UNKNOWN " + new string('a', 200));

        Assert.Equal(ProxyHeaderParser.MaxV1HeaderLength, ParserHarness.FirstInvalidPrefix(data));
    }

    [Fact]
    public void A_cr_as_the_107th_byte_is_invalid_because_the_lf_would_be_the_108th()
    {
        byte[] data = Bytes.Ascii("PROXY UNKNOWN " + new string('a', 92) + "\r");
        Assert.Equal(107, data.Length);

        Assert.Equal(ProxyParseStatus.Invalid, ParserHarness.Parse(data).Status);
    }

    public static TheoryData<string, string> HostileLines => new()
    {
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\n", "bare LF (missing CR)" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\rX", "CR without LF" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\r\n", "double CR" },
        { "PROXY UNKNOWN\n", "UNKNOWN with bare LF" },
        { "PROXY  TCP4 192.0.2.1 198.51.100.2 56324 25\r\n", "two spaces after PROXY" },
        { "PROXY TCP4  192.0.2.1 198.51.100.2 56324 25\r\n", "two spaces before source" },
        { "PROXY TCP4 192.0.2.1  198.51.100.2 56324 25\r\n", "two spaces before destination" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324  25\r\n", "two spaces before port" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25 \r\n", "trailing space" },
        { "PROXY TCP4\t192.0.2.1 198.51.100.2 56324 25\r\n", "tab separator" },
        { " PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n", "leading space" },
        { "proxy TCP4 192.0.2.1 198.51.100.2 56324 25\r\n", "lower-case PROXY" },
        { "PROXY tcp4 192.0.2.1 198.51.100.2 56324 25\r\n", "lower-case protocol" },
        { "PROXY TCP5 192.0.2.1 198.51.100.2 56324 25\r\n", "unknown protocol" },
        { "PROXY UDP4 192.0.2.1 198.51.100.2 56324 25\r\n", "UDP protocol" },
        { "PROXY UNKNOWNX\r\n", "UNKNOWN with a suffix" },
        { "PROXY\r\n", "no protocol" },
        { "PROXY \r\n", "empty protocol" },
        { "PROXY TCP4 999.1.1.1 198.51.100.2 56324 25\r\n", "octet over 255" },
        { "PROXY TCP4 256.1.1.1 198.51.100.2 56324 25\r\n", "octet 256" },
        { "PROXY TCP4 1.2.3 198.51.100.2 56324 25\r\n", "three octets" },
        { "PROXY TCP4 1.2.3.4.5 198.51.100.2 56324 25\r\n", "five octets" },
        { "PROXY TCP4 1..3.4 198.51.100.2 56324 25\r\n", "empty octet" },
        { "PROXY TCP4 1.2.3.4. 198.51.100.2 56324 25\r\n", "trailing dot" },
        { "PROXY TCP4 01.2.3.4 198.51.100.2 56324 25\r\n", "octet with leading zero" },
        { "PROXY TCP4 1.2.3.00 198.51.100.2 56324 25\r\n", "octet 00" },
        { "PROXY TCP4 0x7f.0.0.1 198.51.100.2 56324 25\r\n", "hex octet" },
        { "PROXY TCP4 16909060 198.51.100.2 56324 25\r\n", "integer address" },
        { "PROXY TCP4 192.0.2.1 198.51.100.x 56324 25\r\n", "bad destination" },
        { "PROXY TCP4 2001:db8::1 198.51.100.2 56324 25\r\n", "TCP4 with IPv6 source" },
        { "PROXY TCP4 192.0.2.1 ::1 56324 25\r\n", "TCP4 with IPv6 destination" },
        { "PROXY TCP6 192.0.2.1 2001:db8::2 56324 25\r\n", "TCP6 with IPv4 source" },
        { "PROXY TCP6 2001:db8::1 198.51.100.2 56324 25\r\n", "TCP6 with IPv4 destination" },
        { "PROXY TCP6 2001:db8::1::2 2001:db8::2 56324 25\r\n", "two double colons" },
        { "PROXY TCP6 fe80::1%eth0 2001:db8::2 56324 25\r\n", "zone id" },
        { "PROXY TCP6 [2001:db8::1] 2001:db8::2 56324 25\r\n", "brackets" },
        { "PROXY TCP6 2001:db8:0:0:0:0:0:0:1 2001:db8::2 56324 25\r\n", "nine groups" },
        { "PROXY TCP6 12345::1 2001:db8::2 56324 25\r\n", "five-digit group" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 65536 25\r\n", "source port 65536" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324 65536\r\n", "destination port 65536" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 99999 25\r\n", "port 99999" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 123456 25\r\n", "six-digit port" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 +80 25\r\n", "port with plus" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 -1 25\r\n", "negative port" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 080 25\r\n", "port with leading zero" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 00 25\r\n", "port 00" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 0x50 25\r\n", "hex port" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 25a 25\r\n", "port with letter" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324\r\n", "missing destination port" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2\r\n", "missing ports" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25 7\r\n", "extra field" },
        { "PROXY TCP4 192.0.2.1\0198.51.100.2 56324 25\r\n", "NUL byte" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\0\r\n", "NUL before CRLF" },
        { "PROXY UNKNOWN \0\r\n", "NUL in UNKNOWN remainder" },
        { "PROXY UNKNOWN caf\u00e9\r\n", "non-ASCII byte" },
        { "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\x7f\r\n", "DEL byte" },
    };

    [Theory]
    [MemberData(nameof(HostileLines))]
    public void Hostile_lines_are_invalid(string line, string why)
    {
        ParseOutcome outcome = ParserHarness.Parse(Bytes.Ascii(line));

        Assert.True(outcome.Status == ProxyParseStatus.Invalid, why + ": " + outcome.Status);
    }

    [Theory]
    [MemberData(nameof(HostileLines))]
    public void Hostile_lines_are_never_accepted_at_any_prefix(string line, string why)
    {
        byte[] data = Bytes.Ascii(line);

        Assert.True(ParserHarness.FirstInvalidPrefix(data) > 0, why);
    }

    [Theory]
    [InlineData("EHLO x\r\n", 1)]
    [InlineData("GET / HTTP/1.1\r\n", 1)]
    [InlineData("a001 CAPABILITY\r\n", 1)]
    [InlineData("\u0016\u0003\u0001\u0002\u0000", 1)] // TLS ClientHello
    [InlineData("PROXX TCP4", 5)]
    [InlineData("PRO", -1)]
    [InlineData("PROXY TCP5 ", 11)]
    [InlineData("PROXY TCP44444", 14)]
    [InlineData("PROXY TCP44", -1)]
    [InlineData("PROXY TCP4 999.1.1.1 ", 21)]
    [InlineData("PROXY TCP4 192.0.2.1  ", 22)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 080 ", 31)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 123456", 33)]
    [InlineData("PROXY TCP4 1.2.3.4\0", 19)]
    public void Garbage_is_detected_as_soon_as_the_offending_byte_arrives(string data, int expectedFirstInvalidLength)
    {
        Assert.Equal(expectedFirstInvalidLength, ParserHarness.FirstInvalidPrefix(Bytes.Ascii(data)));
    }

    [Fact]
    public void An_empty_buffer_needs_more_data()
    {
        Assert.Equal(ProxyParseStatus.NeedMoreData, ParserHarness.Parse([]).Status);
    }
}
