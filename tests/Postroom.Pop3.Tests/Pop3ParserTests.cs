using System.Buffers;
using System.Text;
using Postroom.Pop3.Data;
using Postroom.Pop3.Protocol;

namespace Postroom.Pop3.Tests;

/// <summary>The pure steps: argument parsing and dot-stuffing, table-driven.</summary>
public sealed class Pop3ParserTests
{
    [Theory]
    [InlineData("1", "Ok", 1)]
    [InlineData("007", "Ok", 7)]
    [InlineData("2147483647", "Ok", int.MaxValue)]
    [InlineData("2147483648", "OutOfRange", 0)]
    [InlineData("0", "OutOfRange", 0)]
    [InlineData("000", "OutOfRange", 0)]
    [InlineData("99999999999999999999999999", "OutOfRange", 0)]
    [InlineData("", "Syntax", 0)]
    [InlineData("-1", "Syntax", 0)]
    [InlineData(" 1", "Syntax", 0)]
    [InlineData("1 ", "Syntax", 0)]
    [InlineData("1e3", "Syntax", 0)]
    [InlineData("\u0661", "Syntax", 0)]
    public void Message_numbers(string text, string expected, int number)
    {
        Assert.Equal(Enum.Parse<Pop3Arguments.NumberResult>(expected), Pop3Arguments.TryParseMessageNumber(text, out var parsed));
        Assert.Equal(number, parsed);
    }

    [Theory]
    [InlineData("0", true, 0L)]
    [InlineData("10", true, 10L)]
    [InlineData("9999999999999999999999", true, long.MaxValue)]
    [InlineData("-1", false, 0L)]
    [InlineData("", false, 0L)]
    public void Line_counts(string text, bool ok, long lines)
    {
        Assert.Equal(ok, Pop3Arguments.TryParseLineCount(text, out var parsed));
        Assert.Equal(lines, parsed);
    }

    [Theory]
    [InlineData("a\r\nb\r\n", null, "a\r\nb\r\n.\r\n")]
    [InlineData("", null, ".\r\n")]
    [InlineData("no newline", null, "no newline\r\n.\r\n")]
    [InlineData(".\r\n", null, "..\r\n.\r\n")]
    [InlineData("..x\r\n.y", null, "...x\r\n..y\r\n.\r\n")]
    [InlineData("a.b\r\n x.\r\n", null, "a.b\r\n x.\r\n.\r\n")]
    [InlineData("H: 1\r\n\r\nb1\r\nb2\r\n", 0L, "H: 1\r\n\r\n.\r\n")]
    [InlineData("H: 1\r\n\r\nb1\r\nb2\r\n", 1L, "H: 1\r\n\r\nb1\r\n.\r\n")]
    [InlineData("H: 1\r\n\r\nb1\r\nb2\r\n", 5L, "H: 1\r\n\r\nb1\r\nb2\r\n.\r\n")]
    [InlineData("H: 1\r\nH: 2\r\n", 0L, "H: 1\r\nH: 2\r\n.\r\n")]
    [InlineData("H: 1\r\n\r\n\r\n.b\r\n", 2L, "H: 1\r\n\r\n\r\n..b\r\n.\r\n")]
    public void Dot_stuffing(string content, long? topLines, string expected)
    {
        // Every split of the content into two chunks gives the same output: state carries across chunks.
        var bytes = Encoding.ASCII.GetBytes(content);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var output = new ArrayBufferWriter<byte>();
            var stuffer = new DotStuffer(topLines);
            stuffer.Write(bytes.AsSpan(0, split), output);
            stuffer.Write(bytes.AsSpan(split), output);
            stuffer.Finish(output);
            Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
        }
    }

    [Fact]
    public void Byte_at_a_time()
    {
        var bytes = "H: x\r\n\r\n.one\r\n.two\r\nthree\r\n"u8.ToArray();
        var output = new ArrayBufferWriter<byte>();
        var stuffer = new DotStuffer(2);
        foreach (var b in bytes)
        {
            stuffer.Write([b], output);
        }

        Assert.True(stuffer.Done);
        stuffer.Finish(output);
        Assert.Equal("H: x\r\n\r\n..one\r\n..two\r\n.\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(true, null, "Hi", "+OK Hi\r\n")]
    [InlineData(true, null, "", "+OK\r\n")]
    [InlineData(false, "SYS/TEMP", "Later", "-ERR [SYS/TEMP] Later\r\n")]
    public void Reply_wire_form(bool ok, string? code, string text, string wire) =>
        Assert.Equal(wire, new Pop3Reply(ok, code, text).ToWire());
}
