using System.Globalization;
using Postroom.Queue;

namespace Postroom.Smtp.Protocol;

/// <summary>The ESMTP parameters of MAIL FROM this server implements.</summary>
public sealed record MailParameters
{
    /// <summary>SIZE (RFC 1870): the client's estimate of the message size.</summary>
    public long? Size { get; init; }

    /// <summary>BODY (RFC 6152): 7BIT or 8BITMIME.</summary>
    public string? Body { get; init; }

    /// <summary>SMTPUTF8 (RFC 6531).</summary>
    public bool SmtpUtf8 { get; init; }

    /// <summary>RET (RFC 3461 §4.3).</summary>
    public DsnReturn Ret { get; init; }

    /// <summary>ENVID (RFC 3461 §4.4), xtext-decoded.</summary>
    public string? EnvId { get; init; }

    /// <summary>
    /// Parses <c>Mail-parameters = esmtp-param *(SP esmtp-param)</c>. Returns null and an error reply
    /// for an unknown, duplicated or malformed parameter.
    /// </summary>
    public static MailParameters? Parse(ReadOnlySpan<char> text, out SmtpReply? error)
    {
        var result = new MailParameters();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyword, value) in EsmtpParameterReader.Read(text))
        {
            if (keyword is null || !seen.Add(keyword))
            {
                error = SmtpReplies.SyntaxError;
                return null;
            }

            switch (keyword.ToUpperInvariant())
            {
                case "SIZE" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size):
                    result = result with { Size = size };
                    break;
                case "BODY" when value is not null && (value.Equals("7BIT", StringComparison.OrdinalIgnoreCase) || value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase)):
                    result = result with { Body = value.ToUpperInvariant() };
                    break;
                case "SMTPUTF8" when value is null:
                    result = result with { SmtpUtf8 = true };
                    break;
                case "RET" when value is not null && value.Equals("FULL", StringComparison.OrdinalIgnoreCase):
                    result = result with { Ret = DsnReturn.Full };
                    break;
                case "RET" when value is not null && value.Equals("HDRS", StringComparison.OrdinalIgnoreCase):
                    result = result with { Ret = DsnReturn.Headers };
                    break;
                case "ENVID" when value is not null && value.Length <= 100 && XText.TryDecode(value, out var envId):
                    result = result with { EnvId = envId };
                    break;
                case "AUTH" when value is not null:
                    // RFC 4954 §5: the AUTH= parameter is accepted and not trusted; we record the
                    // authenticated user of this session ourselves.
                    break;
                case "SIZE" or "BODY" or "SMTPUTF8" or "RET" or "ENVID" or "AUTH":
                    error = SmtpReplies.SyntaxError;
                    return null;
                default:
                    error = SmtpReplies.ParameterNotImplemented;
                    return null;
            }
        }

        error = null;
        return result;
    }
}

/// <summary>The ESMTP parameters of RCPT TO this server implements (RFC 3461 DSN).</summary>
public sealed record RcptParameters
{
    public DsnNotify Notify { get; init; }

    /// <summary>ORCPT as <c>addr-type;address</c>, xtext-decoded.</summary>
    public string? OriginalRecipient { get; init; }

    public static RcptParameters? Parse(ReadOnlySpan<char> text, out SmtpReply? error)
    {
        var result = new RcptParameters();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyword, value) in EsmtpParameterReader.Read(text))
        {
            if (keyword is null || !seen.Add(keyword))
            {
                error = SmtpReplies.SyntaxError;
                return null;
            }

            switch (keyword.ToUpperInvariant())
            {
                case "NOTIFY" when value is not null && TryParseNotify(value, out var notify):
                    result = result with { Notify = notify };
                    break;
                case "ORCPT" when value is not null && TryParseOrcpt(value, out var orcpt):
                    result = result with { OriginalRecipient = orcpt };
                    break;
                case "NOTIFY" or "ORCPT":
                    error = SmtpReplies.SyntaxError;
                    return null;
                default:
                    error = SmtpReplies.ParameterNotImplemented;
                    return null;
            }
        }

        error = null;
        return result;
    }

    /// <summary><c>notify-esmtp-value = "NEVER" / 1#notify-list-element</c>; NEVER stands alone (RFC 3461 §4.1).</summary>
    private static bool TryParseNotify(string value, out DsnNotify notify)
    {
        notify = DsnNotify.Unspecified;
        foreach (var element in value.Split(','))
        {
            var flag = element.ToUpperInvariant() switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => DsnNotify.Unspecified,
            };
            if (flag == DsnNotify.Unspecified || (notify & flag) != 0)
            {
                return false;
            }

            notify |= flag;
        }

        return notify == DsnNotify.Never || (notify & DsnNotify.Never) == 0;
    }

    /// <summary><c>orcpt-parameter = "ORCPT=" original-recipient-address</c>; <c>addr-type ";" xtext</c> (RFC 3461 §4.2).</summary>
    private static bool TryParseOrcpt(string value, out string orcpt)
    {
        orcpt = "";
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon <= 0 || value.Length > 500 || !XText.TryDecode(value.AsSpan(semicolon + 1), out var address))
        {
            return false;
        }

        orcpt = $"{value[..semicolon]};{address}";
        return true;
    }
}

/// <summary>Splits <c>esmtp-param = esmtp-keyword ["=" esmtp-value]</c> pairs separated by spaces.</summary>
internal static class EsmtpParameterReader
{
    /// <summary>Yields (keyword, value); a null keyword marks a malformed parameter.</summary>
    public static List<(string? Keyword, string? Value)> Read(ReadOnlySpan<char> text)
    {
        var result = new List<(string?, string?)>();
        foreach (var range in text.Split(' '))
        {
            var part = text[range];
            if (part.IsEmpty)
            {
                continue;
            }

            var equals = part.IndexOf('=');
            var keyword = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? null : part[(equals + 1)..].ToString();
            var valid = keyword.Length > 0 && char.IsAsciiLetterOrDigit(keyword[0])
                && keyword.ContainsAnyExcept(KeywordChars) == false
                && (value is null || (value.Length > 0 && !value.Any(c => c < '!' || c == '=' || c == 127)));
            result.Add((valid ? keyword.ToString() : null, value));
        }

        return result;
    }

    private static readonly System.Buffers.SearchValues<char> KeywordChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
}
