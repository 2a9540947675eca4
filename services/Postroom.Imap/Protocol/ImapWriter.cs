using System.Buffers;
using System.Globalization;
using System.Text;

namespace Postroom.Imap.Protocol;

/// <summary>Writes response syntax (RFC 3501 §9) into a buffer: atoms, numbers, quoted strings and literals.</summary>
public static class ImapWriter
{
    public static void Ascii(IBufferWriter<byte> output, string text)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(text);
        var span = output.GetSpan(text.Length);
        var n = Encoding.ASCII.GetBytes(text, span);
        output.Advance(n);
    }

    public static void Utf8(IBufferWriter<byte> output, string text)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(text);
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    public static void Bytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(bytes);
    }

    public static void Number(IBufferWriter<byte> output, long value) =>
        Ascii(output, value.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>string</c>: quoted when it is short printable ASCII, else a literal.</summary>
    public static void AString(IBufferWriter<byte> output, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= 1024 && value.All(c => c is >= ' ' and <= '~'))
        {
            var builder = new StringBuilder(value.Length + 2).Append('"');
            foreach (var c in value)
            {
                if (c is '"' or '\\')
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }

            Ascii(output, builder.Append('"').ToString());
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Literal(output, bytes);
    }

    /// <summary><c>nstring = string / nil</c>.</summary>
    public static void NString(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            Ascii(output, "NIL");
        }
        else
        {
            AString(output, value);
        }
    }

    public static void Literal(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        Ascii(output, "{" + bytes.Length.ToString(CultureInfo.InvariantCulture) + "}\r\n");
        Bytes(output, bytes);
    }

    /// <summary>
    /// A mailbox name: modified UTF-7 (RFC 3501 §5.1.3) as an astring, quoted when it has characters an atom
    /// cannot carry.
    /// </summary>
    public static void Mailbox(IBufferWriter<byte> output, string name)
    {
        var wire = ModifiedUtf7.Encode(name);
        if (wire.Length > 0 && wire.All(c => c < 0x80 && ImapParser.IsAStringChar((byte)c)))
        {
            Ascii(output, wire);
        }
        else
        {
            AString(output, wire);
        }
    }

    /// <summary><c>date-time</c> as in INTERNALDATE: <c>"dd-Mon-yyyy hh:mm:ss +zzzz"</c>.</summary>
    public static string DateTime(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"\"{value:dd-MMM-yyyy HH:mm:ss} {sign}{abs.Hours:00}{abs.Minutes:00}\"");
    }
}
