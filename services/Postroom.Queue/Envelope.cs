namespace Postroom.Queue;

/// <summary>The DSN RET parameter of MAIL FROM (RFC 3461 section 4.3).</summary>
public enum DsnReturn
{
    /// <summary>No RET parameter was given; the MTA chooses (Postroom returns headers).</summary>
    Unspecified = 0,

    /// <summary>RET=FULL: return the whole message in a DSN.</summary>
    Full = 1,

    /// <summary>RET=HDRS: return only the headers in a DSN.</summary>
    Headers = 2,
}

/// <summary>
/// The message-wide part of a queued message: who sent it, where its body is stored and the
/// DSN parameters of MAIL FROM. Immutable once queued.
/// </summary>
/// <param name="Sender">
/// The reverse-path without angle brackets; <c>""</c> is the null reverse-path <c>&lt;&gt;</c>
/// (bounces and other notifications, which must never be bounced themselves).
/// </param>
/// <param name="BodyKey">The object-storage key of the message body (headers and content).</param>
/// <param name="BodySize">Size of the stored body in bytes.</param>
/// <param name="ReceivedAt">When the SMTP transaction completed.</param>
public sealed record Envelope(string Sender, string BodyKey, long BodySize, DateTimeOffset ReceivedAt)
{
    /// <summary>The DSN RET parameter.</summary>
    public DsnReturn Ret { get; init; }

    /// <summary>The DSN ENVID parameter (xtext-decoded), or null.</summary>
    public string? EnvId { get; init; }

    /// <summary>
    /// Free-form facts about the submission, e.g. authenticated user, client IP, SMTPUTF8 or
    /// 8BITMIME. Keys and values are strings; see <see cref="EnvelopeAttributes"/> for common keys.
    /// </summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = EmptyAttributes;

    /// <summary>True when <see cref="Sender"/> is the null reverse-path.</summary>
    public bool IsNullSender => Sender.Length == 0;

    internal static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>Well-known keys of <see cref="Envelope.Attributes"/>.</summary>
public static class EnvelopeAttributes
{
    /// <summary>The SASL-authenticated user that submitted the message.</summary>
    public const string AuthUser = "auth-user";

    /// <summary>The SMTP client's IP address.</summary>
    public const string ClientIp = "client-ip";

    /// <summary>The client's HELO/EHLO name.</summary>
    public const string Helo = "helo";

    /// <summary>"1" when MAIL FROM carried SMTPUTF8 (RFC 6531).</summary>
    public const string SmtpUtf8 = "smtputf8";

    /// <summary>The BODY parameter: "8BITMIME", "7BIT" or "BINARYMIME".</summary>
    public const string Body = "body";
}
