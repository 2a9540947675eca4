using System.Text;

namespace Postroom.Imap.Protocol;

/// <summary>
/// Mailbox names on the wire (RFC 3501 §5.1.3): printable ASCII stands for itself except "&amp;", which is
/// "&amp;-"; other characters are UTF-16 in modified BASE64 (',' for '/') between "&amp;" and "-".
/// </summary>
public static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    public static string Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        var i = 0;
        while (i < name.Length)
        {
            var c = name[i];
            if (c is >= ' ' and <= '~')
            {
                builder.Append(c == '&' ? "&-" : c.ToString());
                i++;
                continue;
            }

            var start = i;
            while (i < name.Length && name[i] is not (>= ' ' and <= '~'))
            {
                i++;
            }

            var bytes = Encoding.BigEndianUnicode.GetBytes(name[start..i]);
            builder.Append('&');
            int bits = 0, buffer = 0;
            foreach (var b in bytes)
            {
                buffer = (buffer << 8) | b;
                bits += 8;
                while (bits >= 6)
                {
                    bits -= 6;
                    builder.Append(Alphabet[(buffer >> bits) & 0x3f]);
                }
            }

            if (bits > 0)
            {
                builder.Append(Alphabet[(buffer << (6 - bits)) & 0x3f]);
            }

            builder.Append('-');
        }

        return builder.ToString();
    }

    /// <summary>
    /// Decodes a wire name. Fails on anything RFC 3501 §5.1.3 forbids: an unterminated or empty shift
    /// ("&amp;" must be "&amp;-"), a shifted printable ASCII character, non-zero padding bits, broken
    /// surrogates, and raw non-ASCII (8-bit names are not modified UTF-7).
    /// </summary>
    public static bool TryDecode(string wire, out string name)
    {
        ArgumentNullException.ThrowIfNull(wire);
        name = "";
        var builder = new StringBuilder(wire.Length);
        var i = 0;
        while (i < wire.Length)
        {
            var c = wire[i];
            if (c is < ' ' or > '~')
            {
                return false;
            }

            if (c != '&')
            {
                builder.Append(c);
                i++;
                continue;
            }

            var end = wire.IndexOf('-', i + 1);
            if (end < 0)
            {
                return false;
            }

            if (end == i + 1)
            {
                builder.Append('&');
                i = end + 1;
                continue;
            }

            var bytes = new List<byte>();
            int bits = 0, buffer = 0;
            for (var j = i + 1; j < end; j++)
            {
                var value = Alphabet.IndexOf(wire[j], StringComparison.Ordinal);
                if (value < 0)
                {
                    return false;
                }

                buffer = ((buffer << 6) | value) & 0xffffff;
                bits += 6;
                if (bits >= 8)
                {
                    bits -= 8;
                    bytes.Add((byte)(buffer >> bits));
                }
            }

            // Leftover bits must be padding: fewer than 6 and all zero; the UTF-16 must be whole code units.
            if (bits >= 6 || (buffer & ((1 << bits) - 1)) != 0 || bytes.Count % 2 != 0 || bytes.Count == 0)
            {
                return false;
            }

            string chunk;
            try
            {
                chunk = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString([.. bytes]);
            }
            catch (ArgumentException)
            {
                return false;
            }

            // Printable ASCII must stand for itself (RFC 3501 §5.1.3), so a shifted one is an error.
            if (chunk.Any(ch => ch is >= ' ' and <= '~'))
            {
                return false;
            }

            builder.Append(chunk);
            i = end + 1;

            // Two shifts back to back must have been one ("&AMA-&AMA-" is not canonical).
            if (i < wire.Length && wire[i] == '&' && i + 1 < wire.Length && wire[i + 1] != '-')
            {
                return false;
            }
        }

        name = builder.ToString();
        return true;
    }
}
