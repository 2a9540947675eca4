using System.Text;

namespace Postroom.Delivery;

/// <summary>Reads <c>Delivered-To</c> fields from a message's header section, for loop detection.</summary>
public static class HeaderScanner
{
    private static readonly byte[] FieldName = "Delivered-To"u8.ToArray();

    /// <summary>
    /// The values of every <c>Delivered-To</c> field in the header section at the start of
    /// <paramref name="message"/> (which may be cut short: a field cut off at the end still counts).
    /// Field names match case-insensitively (RFC 5322 section 1.2.2); folded values are unfolded;
    /// angle brackets around an address are removed.
    /// </summary>
    public static IReadOnlyList<string> DeliveredTo(ReadOnlySpan<byte> message)
    {
        var values = new List<string>();
        var i = 0;
        while (i < message.Length)
        {
            var lineEnd = message[i..].IndexOf((byte)'\n');
            var end = lineEnd < 0 ? message.Length : i + lineEnd;
            var line = TrimCr(message[i..end]);
            if (line.IsEmpty)
            {
                break; // The empty line ends the header section (RFC 5322 section 2.1).
            }

            var next = lineEnd < 0 ? message.Length : end + 1;
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && line[..colon].TrimEnd((byte)' ').SequenceEqual(FieldName, CaseInsensitive.Instance))
            {
                var value = new StringBuilder(Encoding.UTF8.GetString(line[(colon + 1)..]));
                // Folded continuation lines start with white space (RFC 5322 section 2.2.3).
                while (next < message.Length && (message[next] == (byte)' ' || message[next] == (byte)'\t'))
                {
                    var contEnd = message[next..].IndexOf((byte)'\n');
                    var stop = contEnd < 0 ? message.Length : next + contEnd;
                    value.Append(Encoding.UTF8.GetString(TrimCr(message[next..stop])));
                    next = contEnd < 0 ? message.Length : stop + 1;
                }

                var address = value.ToString().Trim();
                if (address.StartsWith('<') && address.EndsWith('>'))
                {
                    address = address[1..^1].Trim();
                }

                values.Add(address);
            }

            i = next;
        }

        return values;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private sealed class CaseInsensitive : IEqualityComparer<byte>
    {
        public static readonly CaseInsensitive Instance = new();

        public bool Equals(byte x, byte y) => ToLower(x) == ToLower(y);

        public int GetHashCode(byte obj) => ToLower(obj);

        private static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
    }
}
