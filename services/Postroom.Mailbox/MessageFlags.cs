namespace Postroom.Mailbox;

/// <summary>
/// Flags: the RFC 3501 system flags in canonical spelling, and keywords (atoms). The store keeps
/// each message's flags as one space-separated string, so neither may contain spaces.
/// </summary>
public static class MessageFlags
{
    public const string Seen = "\\Seen";
    public const string Answered = "\\Answered";
    public const string Flagged = "\\Flagged";
    public const string Deleted = "\\Deleted";
    public const string Draft = "\\Draft";

    private static readonly string[] System = [Seen, Answered, Flagged, Deleted, Draft];

    /// <summary>
    /// Canonicalises flags: system flags are matched case-insensitively and spelled as in RFC 3501,
    /// duplicates (case-insensitive) are dropped, \Recent is dropped (it is not storable). Throws
    /// <see cref="ArgumentException"/> for an unknown "\" flag or a keyword that is not an atom.
    /// </summary>
    public static string[] Normalize(IEnumerable<string>? flags)
    {
        if (flags is null)
        {
            return [];
        }

        var result = new List<string>();
        foreach (var flag in flags)
        {
            ArgumentException.ThrowIfNullOrEmpty(flag, nameof(flags));
            string canonical;
            if (flag[0] == '\\')
            {
                if (flag.Equals("\\Recent", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                canonical = System.FirstOrDefault(s => s.Equals(flag, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ArgumentException($"Unknown system flag '{flag}'.", nameof(flags));
            }
            else
            {
                foreach (var c in flag)
                {
                    // RFC 3501 atom: no atom-specials (SP, CTL, "(", ")", "{", "%", "*", DQUOTE, "\", "]").
                    if (c <= ' ' || c >= 0x7f || c is '(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']')
                    {
                        throw new ArgumentException($"Keyword '{flag}' is not an atom.", nameof(flags));
                    }
                }

                canonical = flag;
            }

            if (!result.Any(f => f.Equals(canonical, StringComparison.OrdinalIgnoreCase)))
            {
                result.Add(canonical);
            }
        }

        return [.. result];
    }
}
