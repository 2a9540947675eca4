using System.Globalization;
using System.Text;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Data;

/// <summary>The trace header prepended to every accepted message (RFC 5321 §4.4, protocol names from RFC 3848 and RFC 6531 §3.7.3).</summary>
internal static class ReceivedHeader
{
    public static byte[] Build(SessionInfo session, string hostName, string id, bool smtpUtf8, IReadOnlyList<string> recipients, DateTimeOffset now)
    {
        var builder = new StringBuilder("Received: from ");
        builder.Append(Sanitize(session.HeloName ?? "unknown"));
        builder.Append(" (").Append(FormatAddress(session)).Append(")\r\n");
        builder.Append("\tby ").Append(hostName).Append(" (Postroom) with ").Append(Protocol(session, smtpUtf8));
        builder.Append(" id ").Append(id);
        if (session.TlsDescription is { } tls)
        {
            builder.Append("\r\n\t(using ").Append(tls).Append(')');
        }

        // Naming the recipient only when there is one: a list of recipients would leak Bcc addresses.
        if (recipients.Count == 1)
        {
            builder.Append("\r\n\tfor <").Append(Sanitize(recipients[0])).Append('>');
        }

        builder.Append(";\r\n\t").Append(FormatDate(now)).Append("\r\n");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>RFC 3848: ESMTP plus S for TLS and A for authentication; UTF8SMTP for SMTPUTF8 sessions.</summary>
    public static string Protocol(SessionInfo session, bool smtpUtf8)
    {
        var baseName = !session.UsedEhlo ? "SMTP" : smtpUtf8 ? "UTF8SMTP" : "ESMTP";
        return baseName + (session.IsTls ? "S" : "") + (session.AuthenticatedUser is null ? "" : "A");
    }

    /// <summary>RFC 5322 §3.3 date-time, always in UTC.</summary>
    public static string FormatDate(DateTimeOffset now) =>
        now.UtcDateTime.ToString("ddd, d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";

    private static string FormatAddress(SessionInfo session)
    {
        var address = session.ClientAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[IPv6:{address}]" : $"[{address}]";
    }

    /// <summary>Client-supplied text goes into a header: keep it printable and free of line breaks.</summary>
    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 255));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 255)))
        {
            builder.Append(c < 0x20 || c == 0x7F || c == '(' || c == ')' ? '?' : c);
        }

        return builder.ToString();
    }
}
