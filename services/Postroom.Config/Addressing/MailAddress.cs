namespace Postroom.Config.Addressing;

/// <summary>A normalised <c>local@domain</c> address (lower-case local part, A-label domain).</summary>
public readonly record struct MailAddress(string LocalPart, string Domain)
{
    public override string ToString() => $"{LocalPart}@{Domain}";

    /// <summary>Parses and normalises a dot-string address; the domain is split at the last '@'.</summary>
    public static bool TryParse(string? input, out MailAddress address, out string error)
    {
        address = default;
        if (string.IsNullOrEmpty(input))
        {
            error = "an address is required";
            return false;
        }

        var at = input.LastIndexOf('@');
        if (at <= 0 || at == input.Length - 1)
        {
            error = $"'{input}' is not an address of the form local@domain";
            return false;
        }

        if (!Addressing.LocalPart.TryNormalize(input[..at], out var local, out error))
        {
            return false;
        }

        if (!DomainName.TryNormalize(input[(at + 1)..], out var domain, out error))
        {
            return false;
        }

        address = new MailAddress(local, domain);
        return true;
    }
}
