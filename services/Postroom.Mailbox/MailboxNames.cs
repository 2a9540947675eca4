using System.Text;

namespace Postroom.Mailbox;

/// <summary>
/// Mailbox names: Unicode (the IMAP layer converts modified UTF-7), hierarchy delimiter "/",
/// "INBOX" case-insensitive (RFC 3501 section 5.1), special-use roles by name.
/// </summary>
public static class MailboxNames
{
    /// <summary>The hierarchy delimiter.</summary>
    public const char Delimiter = '/';

    public const string Inbox = "INBOX";

    /// <summary>The longest name in UTF-8 bytes.</summary>
    public const int MaxUtf8Bytes = 512;

    private static readonly Dictionary<string, SpecialUse> Roles = new(StringComparer.Ordinal)
    {
        ["Sent"] = SpecialUse.Sent,
        ["Drafts"] = SpecialUse.Drafts,
        ["Trash"] = SpecialUse.Trash,
        ["Junk"] = SpecialUse.Junk,
        ["Archive"] = SpecialUse.Archive,
    };

    /// <summary>
    /// Validates and canonicalises a name: empty means INBOX, any case of "INBOX" (also as the
    /// first level) becomes "INBOX". Throws <see cref="ArgumentException"/> for a name with
    /// control characters, the LIST wildcards "%" and "*", an empty level ("a//b", leading or
    /// trailing "/"), a "." or ".." level, or more than <see cref="MaxUtf8Bytes"/> bytes.
    /// </summary>
    public static string Normalize(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return Inbox;
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxUtf8Bytes)
        {
            throw new ArgumentException($"A mailbox name must be at most {MaxUtf8Bytes} bytes.", nameof(name));
        }

        foreach (var c in name)
        {
            if (char.IsControl(c) || c is '%' or '*')
            {
                throw new ArgumentException("A mailbox name must not contain control characters, '%' or '*'.", nameof(name));
            }
        }

        var levels = name.Split(Delimiter);
        foreach (var level in levels)
        {
            if (level.Length == 0 || level is "." or "..")
            {
                throw new ArgumentException($"Mailbox name '{name}' has an empty, '.' or '..' level.", nameof(name));
            }
        }

        if (levels[0].Equals(Inbox, StringComparison.OrdinalIgnoreCase))
        {
            levels[0] = Inbox;
            return string.Join(Delimiter, levels);
        }

        return name;
    }

    /// <summary>The role a (normalized) name has: INBOX, or a top-level special-use name.</summary>
    public static SpecialUse RoleOf(string normalizedName) =>
        normalizedName == Inbox ? SpecialUse.Inbox : Roles.GetValueOrDefault(normalizedName);

    /// <summary>The parent names of a name ("a/b/c" → "a", "a/b").</summary>
    public static IEnumerable<string> Parents(string normalizedName)
    {
        for (var i = normalizedName.IndexOf(Delimiter, StringComparison.Ordinal); i >= 0; i = normalizedName.IndexOf(Delimiter, i + 1))
        {
            yield return normalizedName[..i];
        }
    }
}
