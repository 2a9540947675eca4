using System.Text;

namespace Postroom.Pop3.Protocol;

/// <summary>
/// One single-line POP3 response (RFC 1939 §3): <c>+OK</c> or <c>-ERR</c>, an optional extended response
/// code in brackets (RFC 2449 §8, RFC 3206), and text.
/// </summary>
public sealed record Pop3Reply(bool Ok, string? Code, string Text, bool ClosesConnection = false)
{
    /// <summary>The response in wire form, CRLF included.</summary>
    public string ToWire()
    {
        var builder = new StringBuilder(Ok ? "+OK" : "-ERR");
        if (Code is not null)
        {
            builder.Append(" [").Append(Code).Append(']');
        }

        if (Text.Length > 0)
        {
            builder.Append(' ').Append(Text);
        }

        return builder.Append("\r\n").ToString();
    }

    public override string ToString() => ToWire();
}
