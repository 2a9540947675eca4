using System.Text;
using System.Text.Json;
using MimeKit;

namespace Postroom.Mailbox.Metadata;

/// <summary>
/// Computes <see cref="MessageMetadata"/> from a stored message with MimeKit, once, at append.
/// </summary>
/// <remarks>
/// The parser runs in persistent mode over a seekable stream, so part contents are never copied
/// into memory (MimeKit keeps offsets only). A stream that cannot seek is first spooled to a
/// temporary file that is deleted on close. Offsets come from the parser's end-of-entity events.
/// Malformed input never throws: MimeKit is lenient (a missing blank line ends the header at the
/// end of input, an unknown boundary makes the rest one part).
/// </remarks>
public static class MessageMetadataParser
{
    /// <summary>Parses the message in <paramref name="stream"/> (read from its current position to its end).</summary>
    public static async Task<MessageMetadata> ParseAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            if (stream.Position != 0)
            {
                // Offsets are relative to the message start; MimeKit counts from the position.
                throw new ArgumentException("The stream must be at position 0.", nameof(stream));
            }

            return await ParseSeekableAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        var path = Path.Combine(Path.GetTempPath(), "postroom-mbx-" + Guid.NewGuid().ToString("N"));
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (spool.ConfigureAwait(false))
        {
            await stream.CopyToAsync(spool, cancellationToken).ConfigureAwait(false);
            spool.Position = 0;
            return await ParseSeekableAsync(spool, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Serializes metadata to its stored form (compact JSON, UTF-8).</summary>
    public static byte[] Serialize(MessageMetadata metadata) =>
        JsonSerializer.SerializeToUtf8Bytes(metadata, MetadataJsonContext.Default.MessageMetadata);

    /// <summary>Reads metadata from its stored form.</summary>
    public static MessageMetadata Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, MetadataJsonContext.Default.MessageMetadata)
        ?? throw new FormatException("The stored message metadata is null.");

    private static async Task<MessageMetadata> ParseSeekableAsync(Stream stream, CancellationToken cancellationToken)
    {
        var entities = new Dictionary<MimeEntity, (long Begin, long HeadersEnd, long End, long Lines)>(ReferenceEqualityComparer.Instance);
        var parser = new MimeParser(stream, persistent: true);
        parser.MimeEntityEnd += (_, e) => entities[e.Entity] = (e.BeginOffset, e.HeadersEndOffset, e.EndOffset, e.Lines);
        MimeMessage message;
        try
        {
            message = await parser.ParseMessageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            // MimeKit found no header at all (e.g. a first line that is not a header field). The
            // whole input is then the body of a text/plain message with an empty header.
            return await WithoutHeaderAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        using var parsed = message;
        return new MessageMetadata
        {
            Envelope = Envelope(message),
            Body = Part(message.Body ?? new TextPart("plain"), entities),
        };
    }

    private static async Task<MessageMetadata> WithoutHeaderAsync(Stream stream, CancellationToken cancellationToken)
    {
        stream.Position = 0;
        var buffer = new byte[81920];
        long length = 0;
        long lines = 0;
        var last = (byte)'\n';
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            last = buffer[read - 1];
        }

        return new MessageMetadata
        {
            Envelope = new MessageEnvelope(),
            Body = new BodyPart
            {
                Type = "text",
                Subtype = "plain",
                Parameters = [new BodyParameter("charset", "us-ascii")],
                EndOffset = length,
                Lines = lines + (last == (byte)'\n' ? 0 : 1),
            },
        };
    }

    private static BodyPart Part(MimeEntity entity, Dictionary<MimeEntity, (long Begin, long HeadersEnd, long End, long Lines)> offsets)
    {
        var (begin, headersEnd, end, lines) = offsets.TryGetValue(entity, out var o) ? o : (0L, 0L, 0L, 0L);
        var type = entity.ContentType;
        var isText = type.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase);
        var part = new BodyPart
        {
            Type = type.MediaType,
            Subtype = type.MediaSubtype,
            Parameters = [.. type.Parameters.Select(p => new BodyParameter(p.Name, p.Value))],
            ContentId = HeaderText(entity.Headers, HeaderId.ContentId),
            Description = HeaderText(entity.Headers, HeaderId.ContentDescription),
            Encoding = HeaderText(entity.Headers, HeaderId.ContentTransferEncoding),
            Md5 = HeaderText(entity.Headers, HeaderId.ContentMd5),
            Disposition = entity.ContentDisposition is { } d
                ? new BodyDisposition(d.Disposition, [.. d.Parameters.Select(p => new BodyParameter(p.Name, p.Value))])
                : null,
            Language = HeaderText(entity.Headers, HeaderId.ContentLanguage) is { } lang
                ? [.. lang.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : null,
            Location = HeaderText(entity.Headers, HeaderId.ContentLocation),
            HeaderOffset = begin,
            BodyOffset = Math.Min(headersEnd, end),
            EndOffset = end,
            Lines = isText || entity is MessagePart ? lines : 0,
        };

        switch (entity)
        {
            case Multipart multipart:
                return part with { Parts = [.. multipart.Select(child => Part(child, offsets))] };
            case MessagePart { Message: { } inner }:
                return part with { MessageEnvelope = Envelope(inner), MessageBody = Part(inner.Body ?? new TextPart("plain"), offsets) };
            default:
                return part;
        }
    }

    private static MessageEnvelope Envelope(MimeMessage message)
    {
        var headers = message.Headers;
        return new MessageEnvelope
        {
            Date = HeaderText(headers, HeaderId.Date),
            Subject = HeaderText(headers, HeaderId.Subject),
            From = Addresses(headers, HeaderId.From, message.From),
            Sender = Addresses(headers, HeaderId.Sender, message.Sender is null ? [] : new InternetAddressList([message.Sender])),
            ReplyTo = Addresses(headers, HeaderId.ReplyTo, message.ReplyTo),
            To = Addresses(headers, HeaderId.To, message.To),
            Cc = Addresses(headers, HeaderId.Cc, message.Cc),
            Bcc = Addresses(headers, HeaderId.Bcc, message.Bcc),
            InReplyTo = HeaderText(headers, HeaderId.InReplyTo),
            MessageId = HeaderText(headers, HeaderId.MessageId),
        };
    }

    private static List<EnvelopeAddress>? Addresses(HeaderList headers, HeaderId id, InternetAddressList list)
    {
        if (!headers.Contains(id))
        {
            return null;
        }

        var result = new List<EnvelopeAddress>();
        Flatten(list, result);
        return result;
    }

    private static void Flatten(IEnumerable<InternetAddress> list, List<EnvelopeAddress> result)
    {
        foreach (var address in list)
        {
            switch (address)
            {
                case MailboxAddress mailbox:
                    result.Add(new EnvelopeAddress(
                        string.IsNullOrEmpty(mailbox.Name) ? null : mailbox.Name,
                        mailbox.Route.Count == 0 ? null : string.Join(',', mailbox.Route.Select(r => "@" + r)),
                        mailbox.LocalPart,
                        string.IsNullOrEmpty(mailbox.Domain) ? null : mailbox.Domain));
                    break;
                case GroupAddress group:
                    // RFC 3501 section 7.4.2: group start (NIL NIL "name" NIL), members, end (NIL NIL NIL NIL).
                    result.Add(new EnvelopeAddress(null, null, group.Name, null));
                    Flatten(group.Members, result);
                    result.Add(new EnvelopeAddress(null, null, null, null));
                    break;
            }
        }
    }

    /// <summary>The first header's raw value, unfolded and trimmed; null when absent.</summary>
    private static string? HeaderText(HeaderList headers, HeaderId id)
    {
        var index = headers.IndexOf(id);
        if (index < 0)
        {
            return null;
        }

        var raw = headers[index].RawValue;
        var text = Encoding.UTF8.GetString(raw);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is not '\r' and not '\n')
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }
}
