using Postroom.Mailbox;
using Postroom.Mailbox.Metadata;

namespace Postroom.Imap.Protocol;

/// <summary>
/// Where a section's octets are (RFC 3501 §6.4.5): the header prefix (shown before the blob) and/or a byte range
/// of the blob, from the offsets stored at append. HEADER.FIELDS needs the header's bytes filtered, so it is
/// located as its header range and filtered by the caller.
/// </summary>
public static class SectionLocator
{
    /// <summary>
    /// The octets of <paramref name="section"/>: whether the header prefix comes first, and the blob range.
    /// False when the part does not exist (the response is then empty, as RFC 3501 allows).
    /// </summary>
    public static bool TryLocate(MessageDetails details, SectionSpec section, out bool withPrefix, out long offset, out long length)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(section);
        withPrefix = false;
        offset = 0;
        length = 0;
        var root = details.Metadata.Body;
        if (section.Part.Count == 0)
        {
            withPrefix = section.Text is not SectionText.Text;
            (offset, length) = section.Text switch
            {
                SectionText.None => (0L, details.BlobSize),
                SectionText.Text => (root.BodyOffset, root.EndOffset - root.BodyOffset),
                _ => (root.HeaderOffset, root.BodyOffset - root.HeaderOffset),
            };
            return true;
        }

        var part = Resolve(root, section.Part);
        if (part is null)
        {
            return false;
        }

        switch (section.Text)
        {
            case SectionText.None:
                (offset, length) = (part.BodyOffset, part.Size);
                return true;
            case SectionText.Mime:
                (offset, length) = (part.HeaderOffset, part.HeaderLength);
                return true;
            default:
                // HEADER, HEADER.FIELDS(.NOT) and TEXT of a part apply to an encapsulated message only.
                if (part.MessageBody is not { } inner)
                {
                    return false;
                }

                (offset, length) = section.Text == SectionText.Text
                    ? (inner.BodyOffset, inner.EndOffset - inner.BodyOffset)
                    : (inner.HeaderOffset, inner.BodyOffset - inner.HeaderOffset);
                return true;
        }
    }

    /// <summary>
    /// Follows a part path: a multipart's parts are numbered from 1; a non-multipart message has one part, 1,
    /// its body; the parts of an encapsulated message continue from its message/rfc822 part.
    /// </summary>
    public static BodyPart? Resolve(BodyPart root, IReadOnlyList<uint> path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var current = root;
        var top = true;
        foreach (var number in path)
        {
            var container = !top && current.MessageBody is { } inner ? inner : current;
            if (container.Parts is { } parts)
            {
                if (number > parts.Count)
                {
                    return null;
                }

                current = parts[(int)number - 1];
            }
            else if (number == 1 && (top || !ReferenceEquals(container, current)))
            {
                current = container;
            }
            else
            {
                return null;
            }

            top = false;
        }

        return current;
    }

    /// <summary>
    /// HEADER.FIELDS / HEADER.FIELDS.NOT: the header fields (with their folded lines) whose names are (or are not)
    /// in <paramref name="names"/>, followed by the blank line (RFC 3501 §6.4.5).
    /// </summary>
    public static byte[] FilterFields(ReadOnlySpan<byte> header, IReadOnlyList<string> names, bool exclude)
    {
        ArgumentNullException.ThrowIfNull(names);
        var output = new List<byte>();
        var include = false;
        var position = 0;
        while (position < header.Length)
        {
            var end = header[position..].IndexOf((byte)'\n');
            var lineEnd = end < 0 ? header.Length : position + end + 1;
            var line = header[position..lineEnd];
            position = lineEnd;
            if (line.Length == 0 || line[0] is (byte)'\r' or (byte)'\n')
            {
                break;
            }

            if (line[0] is not ((byte)' ' or (byte)'\t'))
            {
                var colon = line.IndexOf((byte)':');
                var name = colon < 0 ? "" : System.Text.Encoding.ASCII.GetString(line[..colon]).Trim();
                var listed = names.Any(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
                include = colon > 0 && listed != exclude;
            }

            if (include)
            {
                output.AddRange(line);
            }
        }

        output.Add((byte)'\r');
        output.Add((byte)'\n');
        return [.. output];
    }
}
