using System.Buffers;
using System.Text;
using MimeKit;
using MimeKit.Utils;
using Postroom.Mailbox.Metadata;

namespace Postroom.Imap.Protocol;

/// <summary>Writes ENVELOPE and BODY/BODYSTRUCTURE (RFC 3501 §7.4.2) from the metadata stored at append.</summary>
public static class BodyStructureWriter
{
    /// <summary><c>envelope</c>; Sender and Reply-To default to From (RFC 3501 §7.4.2).</summary>
    public static void Envelope(IBufferWriter<byte> output, MessageEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ImapWriter.Ascii(output, "(");
        ImapWriter.NString(output, envelope.Date);
        ImapWriter.Ascii(output, " ");
        ImapWriter.NString(output, envelope.Subject);
        foreach (var list in new[] { envelope.From, envelope.Sender ?? envelope.From, envelope.ReplyTo ?? envelope.From, envelope.To, envelope.Cc, envelope.Bcc })
        {
            ImapWriter.Ascii(output, " ");
            Addresses(output, list);
        }

        ImapWriter.Ascii(output, " ");
        ImapWriter.NString(output, envelope.InReplyTo);
        ImapWriter.Ascii(output, " ");
        ImapWriter.NString(output, envelope.MessageId);
        ImapWriter.Ascii(output, ")");
    }

    /// <summary><c>body</c>: the structure of <paramref name="part"/>, with extension data when <paramref name="extended"/> (BODYSTRUCTURE).</summary>
    public static void Body(IBufferWriter<byte> output, BodyPart part, bool extended)
    {
        ArgumentNullException.ThrowIfNull(part);
        ImapWriter.Ascii(output, "(");
        if (part.IsMultipart && part.Parts!.Count > 0)
        {
            foreach (var child in part.Parts)
            {
                Body(output, child, extended);
            }

            ImapWriter.Ascii(output, " ");
            ImapWriter.AString(output, part.Subtype.ToUpperInvariant());
            if (extended)
            {
                ImapWriter.Ascii(output, " ");
                Parameters(output, part.Parameters);
                Extensions(output, part);
            }

            ImapWriter.Ascii(output, ")");
            return;
        }

        var type = part.IsMultipart ? "TEXT" : part.Type.ToUpperInvariant();
        var subtype = part.IsMultipart ? "PLAIN" : part.Subtype.ToUpperInvariant();
        ImapWriter.AString(output, type);
        ImapWriter.Ascii(output, " ");
        ImapWriter.AString(output, subtype);
        ImapWriter.Ascii(output, " ");
        var parameters = part.Parameters;
        if (type == "TEXT" && !parameters.Any(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)))
        {
            // RFC 2045 §5.2: text without a charset is US-ASCII.
            parameters = [new BodyParameter("CHARSET", "US-ASCII"), .. parameters];
        }

        Parameters(output, parameters);
        ImapWriter.Ascii(output, " ");
        ImapWriter.NString(output, part.ContentId);
        ImapWriter.Ascii(output, " ");
        ImapWriter.NString(output, part.Description);
        ImapWriter.Ascii(output, " ");
        ImapWriter.AString(output, (part.Encoding ?? "7BIT").ToUpperInvariant());
        ImapWriter.Ascii(output, " ");
        ImapWriter.Number(output, part.Size);
        if (part.MessageEnvelope is not null && part.MessageBody is not null)
        {
            ImapWriter.Ascii(output, " ");
            Envelope(output, part.MessageEnvelope);
            ImapWriter.Ascii(output, " ");
            Body(output, part.MessageBody, extended);
            ImapWriter.Ascii(output, " ");
            ImapWriter.Number(output, part.Lines);
        }
        else if (type == "TEXT")
        {
            ImapWriter.Ascii(output, " ");
            ImapWriter.Number(output, part.Lines);
        }

        if (extended)
        {
            ImapWriter.Ascii(output, " ");
            ImapWriter.NString(output, part.Md5);
            Extensions(output, part);
        }

        ImapWriter.Ascii(output, ")");
    }

    /// <summary><c>SP body-fld-dsp SP body-fld-lang SP body-fld-loc</c>.</summary>
    private static void Extensions(IBufferWriter<byte> output, BodyPart part)
    {
        ImapWriter.Ascii(output, " ");
        if (part.Disposition is { } disposition)
        {
            ImapWriter.Ascii(output, "(");
            ImapWriter.AString(output, disposition.Type.ToUpperInvariant());
            ImapWriter.Ascii(output, " ");
            Parameters(output, disposition.Parameters);
            ImapWriter.Ascii(output, ")");
        }
        else
        {
            ImapWriter.Ascii(output, "NIL");
        }

        ImapWriter.Ascii(output, " ");
        if (part.Language is { Count: > 0 } languages)
        {
            ImapWriter.Ascii(output, "(");
            for (var i = 0; i < languages.Count; i++)
            {
                if (i > 0)
                {
                    ImapWriter.Ascii(output, " ");
                }

                ImapWriter.AString(output, languages[i]);
            }

            ImapWriter.Ascii(output, ")");
        }
        else
        {
            ImapWriter.Ascii(output, "NIL");
        }

        ImapWriter.Ascii(output, " ");
        ImapWriter.NString(output, part.Location);
    }

    private static void Parameters(IBufferWriter<byte> output, IReadOnlyList<BodyParameter> parameters)
    {
        if (parameters.Count == 0)
        {
            ImapWriter.Ascii(output, "NIL");
            return;
        }

        ImapWriter.Ascii(output, "(");
        for (var i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                ImapWriter.Ascii(output, " ");
            }

            ImapWriter.AString(output, parameters[i].Name.ToUpperInvariant());
            ImapWriter.Ascii(output, " ");
            ImapWriter.AString(output, parameters[i].Value);
        }

        ImapWriter.Ascii(output, ")");
    }

    private static void Addresses(IBufferWriter<byte> output, IReadOnlyList<EnvelopeAddress>? addresses)
    {
        if (addresses is null || addresses.Count == 0)
        {
            ImapWriter.Ascii(output, "NIL");
            return;
        }

        ImapWriter.Ascii(output, "(");
        foreach (var address in addresses)
        {
            ImapWriter.Ascii(output, "(");

            // Names are stored decoded; IMAP carries them as in the header, so non-ASCII is RFC 2047-encoded again.
            var name = address.Name is { } n && n.Any(c => c > '~') ? Encoding.ASCII.GetString(Rfc2047.EncodeText(FormatOptions.Default, Encoding.UTF8, n)) : address.Name;
            ImapWriter.NString(output, name);
            ImapWriter.Ascii(output, " ");
            ImapWriter.NString(output, address.Route);
            ImapWriter.Ascii(output, " ");
            ImapWriter.NString(output, address.Mailbox);
            ImapWriter.Ascii(output, " ");
            ImapWriter.NString(output, address.Host);
            ImapWriter.Ascii(output, ")");
        }

        ImapWriter.Ascii(output, ")");
    }
}
