using System.Text;

namespace Postroom.Smtp.Protocol;

/// <summary>
/// One SMTP reply: a basic code (RFC 5321 §4.2), an enhanced status code (RFC 3463, advertised as
/// ENHANCEDSTATUSCODES) when one applies, and one or more lines of text.
/// </summary>
public sealed record SmtpReply(int Code, string? Enhanced, IReadOnlyList<string> Lines)
{
    public SmtpReply(int code, string? enhanced, string text)
        : this(code, enhanced, [text])
    {
    }

    /// <summary>4xx and 5xx replies end the current command unsuccessfully.</summary>
    public bool IsError => Code >= 400;

    /// <summary>421 and 221 end the session.</summary>
    public bool ClosesConnection => Code is 421 or 221;

    /// <summary>The reply in wire form; every line but the last uses "code-" (RFC 5321 §4.2.1).</summary>
    public string ToWire()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < Lines.Count; i++)
        {
            builder.Append(Code).Append(i == Lines.Count - 1 ? ' ' : '-');
            if (Enhanced is not null)
            {
                builder.Append(Enhanced).Append(' ');
            }

            builder.Append(Lines[i]).Append("\r\n");
        }

        return builder.ToString();
    }

    public override string ToString() => ToWire();
}
