using System.Globalization;

namespace Postroom.Config.Addressing;

/// <summary>
/// Validation and normalisation of domain names as they appear in mail addresses (RFC 5321 §4.1.2
/// <c>Domain</c>). Names are compared in lower-case A-label form, so <c>Bücher.Example</c> and
/// <c>xn--bcher-kva.example</c> are the same domain.
/// </summary>
public static class DomainName
{
    private const int MaxLength = 253;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>Normalises <paramref name="input"/> to lower-case A-labels, or says why it is not a domain.</summary>
    public static bool TryNormalize(string? input, out string normalized, out string error)
    {
        normalized = "";
        if (string.IsNullOrEmpty(input))
        {
            error = "a domain name is required";
            return false;
        }

        if (input.StartsWith('['))
        {
            // Address literals (RFC 5321 §4.1.3) identify one host, not a hosted domain.
            error = $"'{input}' is an address literal, not a domain name";
            return false;
        }

        if (input.EndsWith('.'))
        {
            error = $"'{input}' ends with a dot; write the domain without the root label";
            return false;
        }

        if (input.Length > MaxLength)
        {
            error = $"'{input}' is longer than {MaxLength} characters";
            return false;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(input);
        }
        catch (ArgumentException)
        {
            error = $"'{input}' is not a valid domain name (letters, digits and hyphens in labels of 1 to 63 characters)";
            return false;
        }

        ascii = ascii.ToLowerInvariant();
        if (ascii.Length > MaxLength)
        {
            error = $"'{input}' is longer than {MaxLength} characters";
            return false;
        }

        normalized = ascii;
        error = "";
        return true;
    }

    /// <summary>Normalises or returns null; for lookups on input that has no error to report.</summary>
    public static string? NormalizeOrNull(string? input) =>
        TryNormalize(input, out var normalized, out _) ? normalized : null;
}
