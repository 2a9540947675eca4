using System.Net;
using System.Text;

namespace Postroom.Smtp.Protocol;

/// <summary>
/// Parsers for RFC 5321 §4.1.2 paths, one per ABNF rule. They return values and never write replies.
/// UTF-8 is accepted where RFC 6531 §3.3 allows it; the caller checks that SMTPUTF8 was given.
/// </summary>
public static class SmtpPathParser
{
    /// <summary>
    /// <c>Reverse-path = Path / "&lt;&gt;"</c>
    /// </summary>
    public static bool TryParseReversePath(ref SmtpTextReader reader, out SmtpPath path)
    {
        var start = reader.Position;
        if (reader.TryRead('<') && reader.TryRead('>'))
        {
            path = SmtpPath.Null;
            return true;
        }

        reader.Position = start;
        return TryParsePath(ref reader, out path);
    }

    /// <summary>
    /// <c>Path = "&lt;" [ A-d-l ":" ] Mailbox "&gt;"</c>; <c>A-d-l = At-domain *( "," At-domain )</c>.
    /// The source route is parsed and dropped (RFC 5321 §4.1.1.3: servers ignore it), so it can never
    /// steer mail anywhere.
    /// </summary>
    public static bool TryParsePath(ref SmtpTextReader reader, out SmtpPath path)
    {
        path = SmtpPath.Null;
        if (!reader.TryRead('<'))
        {
            return false;
        }

        var hadRoute = false;
        if (reader.Peek == '@')
        {
            do
            {
                if (!reader.TryRead('@') || !TryParseDomain(ref reader, out _))
                {
                    return false;
                }
            }
            while (reader.TryRead(','));

            if (!reader.TryRead(':'))
            {
                return false;
            }

            hadRoute = true;
        }

        if (!TryParseMailbox(ref reader, out var mailbox) || !reader.TryRead('>'))
        {
            return false;
        }

        path = mailbox with { HadSourceRoute = hadRoute };
        return true;
    }

    /// <summary><c>Mailbox = Local-part "@" ( Domain / address-literal )</c></summary>
    public static bool TryParseMailbox(ref SmtpTextReader reader, out SmtpPath mailbox)
    {
        mailbox = SmtpPath.Null;
        bool quoted;
        string local;
        if (reader.Peek == '"')
        {
            if (!TryParseQuotedString(ref reader, out local))
            {
                return false;
            }

            quoted = true;
        }
        else if (TryParseDotString(ref reader, out local))
        {
            quoted = false;
        }
        else
        {
            return false;
        }

        if (!reader.TryRead('@'))
        {
            return false;
        }

        string domain;
        if (reader.Peek == '[')
        {
            if (!TryParseAddressLiteral(ref reader, out domain))
            {
                return false;
            }
        }
        else if (!TryParseDomain(ref reader, out domain))
        {
            return false;
        }

        // RFC 5321 §4.5.3.1.1: local part at most 64 octets; §4.5.3.1.2: domain at most 255.
        if (Encoding.UTF8.GetByteCount(local) > 64 || Encoding.UTF8.GetByteCount(domain) > 255)
        {
            return false;
        }

        mailbox = new SmtpPath(local, domain, quoted);
        return true;
    }

    /// <summary><c>Dot-string = Atom *("." Atom)</c>; <c>Atom = 1*atext</c></summary>
    public static bool TryParseDotString(ref SmtpTextReader reader, out string value)
    {
        var start = reader.Position;
        value = "";
        while (true)
        {
            var atomStart = reader.Position;
            while (!reader.End && IsAtext(reader.Peek))
            {
                reader.Position++;
            }

            if (reader.Position == atomStart)
            {
                reader.Position = start;
                return false;
            }

            if (!reader.TryRead('.'))
            {
                break;
            }
        }

        value = reader.Slice(start).ToString();
        return true;
    }

    /// <summary>
    /// <c>Quoted-string = DQUOTE *QcontentSMTP DQUOTE</c>; <c>qtextSMTP = %d32-33 / %d35-91 / %d93-126</c>;
    /// <c>quoted-pairSMTP = %d92 %d32-126</c>.
    /// </summary>
    public static bool TryParseQuotedString(ref SmtpTextReader reader, out string value)
    {
        value = "";
        var start = reader.Position;
        if (!reader.TryRead('"'))
        {
            return false;
        }

        var builder = new StringBuilder();
        while (!reader.End)
        {
            var c = reader.Peek;
            reader.Position++;
            if (c == '"')
            {
                value = builder.ToString();
                return true;
            }

            if (c == '\\')
            {
                if (reader.End || reader.Peek < 32 || reader.Peek == 127)
                {
                    break;
                }

                builder.Append(reader.Peek);
                reader.Position++;
            }
            else if ((c >= 32 && c != 127) || c > 0x7F)
            {
                builder.Append(c);
            }
            else
            {
                break;
            }
        }

        reader.Position = start;
        return false;
    }

    /// <summary>
    /// <c>Domain = sub-domain *("." sub-domain)</c>; <c>sub-domain = Let-dig [Ldh-str]</c>, or a U-label (RFC 6531).
    /// </summary>
    public static bool TryParseDomain(ref SmtpTextReader reader, out string domain)
    {
        var start = reader.Position;
        domain = "";
        while (true)
        {
            var labelStart = reader.Position;
            while (!reader.End && (char.IsAsciiLetterOrDigit(reader.Peek) || reader.Peek == '-' || reader.Peek > 0x7F))
            {
                reader.Position++;
            }

            var label = reader.Slice(labelStart);
            if (label.Length == 0 || label[0] == '-' || label[^1] == '-')
            {
                reader.Position = start;
                return false;
            }

            if (!reader.TryRead('.'))
            {
                break;
            }
        }

        domain = reader.Slice(start).ToString();
        return true;
    }

    /// <summary>
    /// <c>address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"</c>;
    /// General-address-literals (RFC 5321 §4.1.3) are refused as having no registered tags besides IPv6.
    /// </summary>
    public static bool TryParseAddressLiteral(ref SmtpTextReader reader, out string literal)
    {
        literal = "";
        var start = reader.Position;
        if (!reader.TryRead('['))
        {
            return false;
        }

        var close = reader.Remaining.IndexOf(']');
        if (close <= 0)
        {
            reader.Position = start;
            return false;
        }

        var inner = reader.Remaining[..close];
        var valid = inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.TryParse(inner[5..], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            : IsDottedQuad(inner);
        if (!valid)
        {
            reader.Position = start;
            return false;
        }

        reader.Position += close + 1;
        literal = reader.Slice(start).ToString();
        return true;
    }

    /// <summary>The IP address an address literal names.</summary>
    public static IPAddress? LiteralAddress(string literal)
    {
        var inner = literal.AsSpan(1, literal.Length - 2);
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            inner = inner[5..];
        }

        return IPAddress.TryParse(inner, out var address) ? address : null;
    }

    /// <summary>RFC 5322 §3.2.3 atext, and UTF8-non-ascii (RFC 6531 §3.3).</summary>
    public static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal) || (c > 0x7F && !char.IsControl(c) && !char.IsWhiteSpace(c));

    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (part.Length is 0 or > 3 || !int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }
}
