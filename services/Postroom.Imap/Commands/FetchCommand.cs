using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Postroom.Imap.Protocol;
using Postroom.Imap.Session;
using Postroom.Mailbox;

namespace Postroom.Imap.Commands;

/// <summary>
/// FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8). Responses stream: messages are read from the store page by
/// page and written as they come, body sections are copied from ranged blob reads, and the output is flushed
/// whenever enough is buffered, so memory stays flat whatever the mailbox size.
/// </summary>
internal sealed class FetchCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!TryParse(request, out var set, out var items))
        {
            return ImapResponses.SyntaxError;
        }

        var box = session.Selected!;
        var uids = box.Resolve(set, request.Uid);
        if (uids is null)
        {
            return ImapResponses.InvalidSequenceSet;
        }

        if (request.Uid && !items.Any(i => i.Kind == FetchItemKind.Uid))
        {
            // RFC 3501 §6.4.8: UID FETCH responses always carry the UID.
            items.Insert(0, new FetchItem(FetchItemKind.Uid));
        }

        if (items.Any(i => i.SetsSeen) && !box.ReadOnly)
        {
            var stored = await session.Store.StoreFlagsAsync(session.User, box.Name, uids, FlagOperation.Add, [MessageFlags.Seen], null, cancellationToken).ConfigureAwait(false);
            box.OwnModSeqs.UnionWith(stored.Updated.Select(u => u.ModSeq));
            if (!items.Any(i => i.Kind == FetchItemKind.Flags))
            {
                items.Add(new FetchItem(FetchItemKind.Flags));
            }
        }

        var details = items.Any(i => i.NeedsDetails);
        var output = session.Transport.Output;
        await foreach (var message in session.Store.ListMessagesAsync(session.User, box.Name, uids, details, cancellationToken, session.Options.PageSize).ConfigureAwait(false))
        {
            var seq = box.SeqOf(message.Uid);
            if (seq == 0 || (details && message.Details is null))
            {
                continue;
            }

            ImapWriter.Ascii(output, $"* {seq} FETCH (");
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    ImapWriter.Ascii(output, " ");
                }

                await WriteItemAsync(session, output, box, message, items[i], cancellationToken).ConfigureAwait(false);
            }

            ImapWriter.Ascii(output, ")");
            session.EndLine();
            await session.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
        }

        return ImapResponses.Completed;
    }

    internal static bool TryParse(ImapRequest request, out SequenceSet set, out List<FetchItem> items)
    {
        items = [];
        var reader = request.Reader();
        return ImapParser.TryParseSequenceSet(ref reader, out set) && ImapParser.TryParseSp(ref reader)
            && ImapParser.TryParseFetchAttributes(ref reader, out items) && reader.End;
    }

    private static async Task WriteItemAsync(ImapSession session, PipeWriter output, SelectedMailbox box, MailboxMessage message, FetchItem item, CancellationToken cancellationToken)
    {
        var details = message.Details;
        switch (item.Kind)
        {
            case FetchItemKind.Uid:
                ImapWriter.Ascii(output, "UID " + message.Uid.ToString(CultureInfo.InvariantCulture));
                return;
            case FetchItemKind.Flags:
                ImapWriter.Ascii(output, "FLAGS (" + ImapSession.FlagText(box, message) + ")");
                return;
            case FetchItemKind.InternalDate:
                ImapWriter.Ascii(output, "INTERNALDATE " + ImapWriter.DateTime(details!.InternalDate));
                return;
            case FetchItemKind.Rfc822Size:
                ImapWriter.Ascii(output, "RFC822.SIZE " + details!.Size.ToString(CultureInfo.InvariantCulture));
                return;
            case FetchItemKind.Envelope:
                ImapWriter.Ascii(output, "ENVELOPE ");
                BodyStructureWriter.Envelope(output, details!.Metadata.Envelope);
                return;
            case FetchItemKind.Body or FetchItemKind.BodyStructure:
                ImapWriter.Ascii(output, item.Kind == FetchItemKind.Body ? "BODY " : "BODYSTRUCTURE ");
                BodyStructureWriter.Body(output, details!.Metadata.Body, item.Kind == FetchItemKind.BodyStructure);
                return;
            case FetchItemKind.Rfc822:
                ImapWriter.Ascii(output, "RFC822 ");
                await WriteSectionAsync(session, output, details!, SectionSpec.Whole, null, null, cancellationToken).ConfigureAwait(false);
                return;
            case FetchItemKind.Rfc822Header:
                ImapWriter.Ascii(output, "RFC822.HEADER ");
                await WriteSectionAsync(session, output, details!, new SectionSpec([], SectionText.Header, []), null, null, cancellationToken).ConfigureAwait(false);
                return;
            case FetchItemKind.Rfc822Text:
                ImapWriter.Ascii(output, "RFC822.TEXT ");
                await WriteSectionAsync(session, output, details!, new SectionSpec([], SectionText.Text, []), null, null, cancellationToken).ConfigureAwait(false);
                return;
            default:
                var origin = item.PartialOffset is { } o ? "<" + o.ToString(CultureInfo.InvariantCulture) + ">" : "";
                ImapWriter.Ascii(output, $"BODY[{item.Section}]{origin} ");
                await WriteSectionAsync(session, output, details!, item.Section!, item.PartialOffset, item.PartialLength, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>Writes a section as a literal: the header prefix and/or a blob range, cut to the partial range.</summary>
    private static async Task WriteSectionAsync(ImapSession session, PipeWriter output, MessageDetails details, SectionSpec section, uint? partialOffset, uint? partialLength, CancellationToken cancellationToken)
    {
        if (!SectionLocator.TryLocate(details, section, out var withPrefix, out var offset, out var length))
        {
            ImapWriter.Ascii(output, "\"\"");
            return;
        }

        var prefix = withPrefix ? details.HeaderPrefix : ReadOnlyMemory<byte>.Empty;
        if (section.Text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
        {
            var header = new byte[prefix.Length + Math.Min(length, session.Options.MaxHeaderRead)];
            prefix.CopyTo(header);
            var blob = await session.Services.Blobs.OpenReadRangeAsync(details.BlobKey, offset, header.Length - prefix.Length, cancellationToken).ConfigureAwait(false);
            await using (blob.ConfigureAwait(false))
            {
                await blob.ReadAtLeastAsync(header.AsMemory(prefix.Length), header.Length - prefix.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }

            var filtered = SectionLocator.FilterFields(header, section.Fields, section.Text == SectionText.HeaderFieldsNot);
            var (start, count) = Cut(filtered.Length, partialOffset, partialLength);
            ImapWriter.Literal(output, filtered.AsSpan((int)start, (int)count));
            return;
        }

        var total = prefix.Length + length;
        var (from, size) = Cut(total, partialOffset, partialLength);
        ImapWriter.Ascii(output, "{" + size.ToString(CultureInfo.InvariantCulture) + "}\r\n");
        if (from < prefix.Length)
        {
            var take = (int)Math.Min(prefix.Length - from, size);
            output.Write(prefix.Span.Slice((int)from, take));
            size -= take;
            from = prefix.Length;
        }

        if (size > 0)
        {
            var stream = await session.Services.Blobs.OpenReadRangeAsync(details.BlobKey, offset + (from - prefix.Length), size, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await CopyExactlyAsync(session, stream, output, size, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Applies <c>&lt;offset.length&gt;</c> to a section of <paramref name="total"/> octets (RFC 3501 §6.4.5).</summary>
    private static (long Start, long Count) Cut(long total, uint? offset, uint? length)
    {
        if (offset is null)
        {
            return (0, total);
        }

        var start = Math.Min(offset.Value, total);
        return (start, Math.Min(length ?? 0, total - start));
    }

    /// <summary>
    /// Copies exactly <paramref name="count"/> octets. The literal's length is already on the wire, so a blob shorter
    /// than its stored size is padded with spaces rather than leaving the client out of step.
    /// </summary>
    private static async Task CopyExactlyAsync(ImapSession session, Stream source, PipeWriter output, long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var memory = output.GetMemory((int)Math.Min(count, 16384));
            var read = await source.ReadAsync(memory[..(int)Math.Min(memory.Length, count)], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                var pad = (int)Math.Min(count, memory.Length);
                memory.Span[..pad].Fill((byte)' ');
                read = pad;
            }

            output.Advance(read);
            count -= read;
            await session.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
