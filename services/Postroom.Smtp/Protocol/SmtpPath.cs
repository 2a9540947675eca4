namespace Postroom.Smtp.Protocol;

/// <summary>A reverse-path or forward-path from MAIL FROM or RCPT TO, with any source route already dropped.</summary>
/// <param name="LocalPart">The local part as sent; for a quoted string, the quotes and escapes removed.</param>
/// <param name="Domain">The domain, or the address literal with its brackets.</param>
/// <param name="IsQuoted">The local part was a Quoted-string.</param>
/// <param name="HadSourceRoute">An <c>@a,@b:</c> route preceded the mailbox (ignored, RFC 5321 §4.1.1.3 and appendix C).</param>
public sealed record SmtpPath(string LocalPart, string Domain, bool IsQuoted = false, bool HadSourceRoute = false)
{
    /// <summary>The null reverse-path <c>&lt;&gt;</c>.</summary>
    public static readonly SmtpPath Null = new("", "");

    public bool IsNull => LocalPart.Length == 0 && Domain.Length == 0;

    public bool IsAddressLiteral => Domain.StartsWith('[');

    /// <summary>True when any part is outside ASCII, which needs SMTPUTF8 (RFC 6531).</summary>
    public bool NeedsSmtpUtf8 => LocalPart.Any(c => c > 0x7F) || Domain.Any(c => c > 0x7F);

    /// <summary><c>local@domain</c>, the local part re-quoted when it needs quotes; empty for the null path.</summary>
    public string Address => IsNull ? "" : $"{(IsQuoted ? Quote(LocalPart) : LocalPart)}@{Domain}";

    public override string ToString() => $"<{Address}>";

    private static string Quote(string local) =>
        "\"" + local.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
