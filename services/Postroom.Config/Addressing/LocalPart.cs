using System.Text;

namespace Postroom.Config.Addressing;

/// <summary>
/// Validation and normalisation of local parts. Configuration accepts the RFC 5321 §4.1.2 <c>Dot-string</c>
/// form, with UTF-8 allowed in atoms as RFC 6531 §3.3 extends it. Lookups are case-insensitive: RFC 5321
/// lets the receiving host decide, and every mail system users know treats <c>Jane</c> as <c>jane</c>.
/// </summary>
public static class LocalPart
{
    /// <summary>RFC 5321 §4.5.3.1.1.</summary>
    public const int MaxOctets = 64;

    /// <summary>Normalises to NFC lower case, or says why the text is not a dot-string local part.</summary>
    public static bool TryNormalize(string? input, out string normalized, out string error)
    {
        normalized = "";
        if (string.IsNullOrEmpty(input))
        {
            error = "a local part is required";
            return false;
        }

        if (Encoding.UTF8.GetByteCount(input) > MaxOctets)
        {
            error = $"'{input}' is longer than {MaxOctets} octets";
            return false;
        }

        if (input[0] == '.' || input[^1] == '.' || input.Contains("..", StringComparison.Ordinal))
        {
            error = $"'{input}' has a leading, trailing or doubled dot";
            return false;
        }

        foreach (var c in input)
        {
            if (c != '.' && !IsAtext(c))
            {
                error = $"'{input}' contains '{Printable(c)}', which is not allowed in a local part";
                return false;
            }
        }

        normalized = input.Normalize(NormalizationForm.FormC).ToLowerInvariant();
        error = "";
        return true;
    }

    /// <summary>RFC 5322 §3.2.3 atext, plus any non-ASCII character (RFC 6531 §3.3 UTF8-non-ascii).</summary>
    public static bool IsAtext(char c) =>
        c > 0x7F ? !char.IsControl(c) && !char.IsWhiteSpace(c)
        : char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal);

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString();
}
