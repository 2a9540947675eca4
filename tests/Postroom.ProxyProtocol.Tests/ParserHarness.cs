using System.Buffers;

namespace Postroom.ProxyProtocol.Tests;

internal readonly record struct ParseOutcome(ProxyParseStatus Status, ProxyHeader? Header, long Consumed, string? Error);

internal static class ParserHarness
{
    public static ParseOutcome Parse(byte[] data) => Parse(new ReadOnlySequence<byte>(data));

    public static ParseOutcome Parse(ReadOnlySequence<byte> buffer)
    {
        ProxyParseStatus status = ProxyHeaderParser.TryParse(buffer, out ProxyHeader header, out SequencePosition consumed, out string? error);
        long consumedLength = buffer.Slice(buffer.Start, consumed).Length;
        switch (status)
        {
            case ProxyParseStatus.Success:
                Assert.NotNull(header);
                Assert.Null(error);
                Assert.True(consumedLength > 0);
                break;
            case ProxyParseStatus.Invalid:
                Assert.False(string.IsNullOrEmpty(error));
                Assert.Equal(0, consumedLength);
                break;
            default:
                Assert.Null(error);
                Assert.Equal(0, consumedLength);
                break;
        }

        return new ParseOutcome(status, status == ProxyParseStatus.Success ? header : null, consumedLength, error);
    }

    /// <summary>Asserts the header is only recognised once its last byte is there: every proper prefix needs more data.</summary>
    public static ParseOutcome ParseByteByByte(byte[] header)
    {
        for (int length = 0; length < header.Length; length++)
        {
            ParseOutcome partial = Parse(header[..length]);
            Assert.True(
                partial.Status == ProxyParseStatus.NeedMoreData,
                $"prefix of {length} bytes gave {partial.Status} ({partial.Error})");
        }

        return Parse(header);
    }

    /// <summary>The first prefix length at which the parser says Invalid, or -1.</summary>
    public static int FirstInvalidPrefix(byte[] data)
    {
        for (int length = 1; length <= data.Length; length++)
        {
            ParseOutcome outcome = Parse(data[..length]);
            Assert.NotEqual(ProxyParseStatus.Success, outcome.Status);
            if (outcome.Status == ProxyParseStatus.Invalid)
            {
                return length;
            }
        }

        return -1;
    }
}
