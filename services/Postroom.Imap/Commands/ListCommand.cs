using System.Text;
using System.Text.RegularExpressions;
using Postroom.Imap.Protocol;
using Postroom.Imap.Session;
using Postroom.Mailbox;

namespace Postroom.Imap.Commands;

/// <summary>
/// LIST (RFC 3501 §6.3.8) with CHILDREN (RFC 3348) and SPECIAL-USE (RFC 6154) attributes, and LSUB (§6.3.9).
/// "*" matches across levels, "%" within one.
/// </summary>
internal sealed class ListCommand(bool subscribedOnly) : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseMailbox(ref reader, out var reference) || !ImapParser.TryParseSp(ref reader)
            || !ImapParser.TryParseListMailbox(ref reader, out var pattern) || !reader.End)
        {
            return ImapResponses.SyntaxError;
        }

        var verb = subscribedOnly ? "LSUB" : "LIST";
        var output = session.Transport.Output;
        if (pattern.Length == 0)
        {
            // RFC 3501 §6.3.8: an empty pattern asks for the delimiter and the root of the reference.
            session.Untagged($"{verb} (\\Noselect) \"/\" \"\"");
            return ImapResponses.Completed;
        }

        var matcher = Compile(reference + pattern);
        var mailboxes = await session.Store.ListMailboxesAsync(session.User, cancellationToken).ConfigureAwait(false);
        var names = new HashSet<string>(mailboxes.Select(m => m.Name), StringComparer.Ordinal);
        IEnumerable<(string Name, string Attributes)> rows;
        if (subscribedOnly)
        {
            var subscribed = await session.Store.ListSubscriptionsAsync(session.User, cancellationToken).ConfigureAwait(false);
            rows = subscribed.Order(StringComparer.Ordinal).Select(n => (n, names.Contains(n) ? "" : "\\Noselect"));
        }
        else
        {
            rows = mailboxes.Select(m => (m.Name, Attributes(m, names)));
        }

        foreach (var (name, attributes) in rows)
        {
            if (!matcher.IsMatch(name))
            {
                continue;
            }

            ImapWriter.Ascii(output, $"* {verb} ({attributes}) \"/\" ");
            ImapWriter.Mailbox(output, name);
            session.EndLine();
        }

        return ImapResponses.Completed;
    }

    private static string Attributes(MailboxInfo mailbox, HashSet<string> names)
    {
        var prefix = mailbox.Name + MailboxNames.Delimiter;
        var attributes = new List<string> { names.Any(n => n.StartsWith(prefix, StringComparison.Ordinal)) ? "\\HasChildren" : "\\HasNoChildren" };
        var use = mailbox.SpecialUse switch
        {
            SpecialUse.Sent => "\\Sent",
            SpecialUse.Drafts => "\\Drafts",
            SpecialUse.Trash => "\\Trash",
            SpecialUse.Junk => "\\Junk",
            SpecialUse.Archive => "\\Archive",
            _ => null,
        };
        if (use is not null)
        {
            attributes.Add(use);
        }

        return string.Join(' ', attributes);
    }

    /// <summary>A matcher for a LIST pattern; INBOX matches case-insensitively as the first level (RFC 3501 §5.1).</summary>
    internal static Regex Compile(string pattern)
    {
        if (pattern.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase) && (pattern.Length == 5 || pattern[5] == MailboxNames.Delimiter))
        {
            pattern = "INBOX" + pattern[5..];
        }

        var builder = new StringBuilder("^");
        foreach (var c in pattern)
        {
            builder.Append(c switch
            {
                '*' => ".*",
                '%' => "[^/]*",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(builder.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
