using System.Globalization;
using MimeKit;
using MimeKit.Utils;
using Postroom.Imap.Protocol;
using Postroom.Imap.Session;
using Postroom.Mailbox;
using Postroom.Mailbox.Metadata;

namespace Postroom.Imap.Commands;

/// <summary>
/// SEARCH and UID SEARCH (RFC 3501 §6.4.4). Messages are read page by page and the matches written as they are
/// found. Flags, UIDs and sequence numbers need no details; dates, sizes and addresses use the stored metadata;
/// HEADER, BODY and TEXT parse the message from object storage (up to <see cref="ImapOptions.MaxSearchBodySize"/>).
/// </summary>
internal sealed class SearchCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseSearchProgram(ref reader, session.Options.MaxNesting, out var charset, out var program))
        {
            return ImapResponses.SyntaxError;
        }

        if (charset is not null && !charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase))
        {
            return ImapResponses.BadCharset;
        }

        var box = session.Selected!;
        var context = new SearchContext(box, session.Options);
        var output = session.Transport.Output;
        ImapWriter.Ascii(output, "* SEARCH");
        if (box.Count > 0)
        {
            var details = program.NeedsDetails;
            var content = NeedsContent(program);
            await foreach (var message in session.Store.ListMessagesAsync(session.User, box.Name, UidSet.Range(1, box.LastUid), details, cancellationToken, session.Options.PageSize).ConfigureAwait(false))
            {
                var seq = box.SeqOf(message.Uid);
                if (seq == 0 || (details && message.Details is null))
                {
                    continue;
                }

                MimeMessage? parsed = null;
                if (content)
                {
                    parsed = await LoadAsync(session, message.Details!, cancellationToken).ConfigureAwait(false);
                }

                using (parsed)
                {
                    if (context.Matches(program, seq, message, parsed))
                    {
                        ImapWriter.Ascii(output, " " + (request.Uid ? message.Uid : seq).ToString(CultureInfo.InvariantCulture));
                    }
                }

                await session.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        session.EndLine();
        return ImapResponses.Completed;
    }

    private static bool NeedsContent(SearchKey key) =>
        key.Kind is SearchKeyKind.Header or SearchKeyKind.Body or SearchKeyKind.Text || (key.Children?.Any(NeedsContent) ?? false);

    private static async Task<MimeMessage?> LoadAsync(ImapSession session, MessageDetails details, CancellationToken cancellationToken)
    {
        if (details.BlobSize > session.Options.MaxSearchBodySize)
        {
            return null;
        }

        var stream = await session.Services.Blobs.OpenReadAsync(details.BlobKey, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}

/// <summary>Evaluates a search program against one message; pure, so it is tested without a store.</summary>
internal sealed class SearchContext(SelectedMailbox box, ImapOptions options)
{
    public ImapOptions Options { get; } = options;

    public bool Matches(SearchKey key, uint seq, MailboxMessage message, MimeMessage? content)
    {
        var details = message.Details;
        return key.Kind switch
        {
            SearchKeyKind.All => true,
            SearchKeyKind.Answered => Has(message, MessageFlags.Answered),
            SearchKeyKind.Deleted => Has(message, MessageFlags.Deleted),
            SearchKeyKind.Draft => Has(message, MessageFlags.Draft),
            SearchKeyKind.Flagged => Has(message, MessageFlags.Flagged),
            SearchKeyKind.Seen => Has(message, MessageFlags.Seen),
            SearchKeyKind.Unanswered => !Has(message, MessageFlags.Answered),
            SearchKeyKind.Undeleted => !Has(message, MessageFlags.Deleted),
            SearchKeyKind.Undraft => !Has(message, MessageFlags.Draft),
            SearchKeyKind.Unflagged => !Has(message, MessageFlags.Flagged),
            SearchKeyKind.Unseen => !Has(message, MessageFlags.Seen),
            SearchKeyKind.Recent => box.IsRecent(message.Uid),
            SearchKeyKind.Old => !box.IsRecent(message.Uid),
            SearchKeyKind.New => box.IsRecent(message.Uid) && !Has(message, MessageFlags.Seen),
            SearchKeyKind.Keyword => Has(message, key.Text!),
            SearchKeyKind.Unkeyword => !Has(message, key.Text!),
            SearchKeyKind.Uid => box.Resolve(key.Set!, uid: true)!.Contains(message.Uid),
            SearchKeyKind.SequenceSet => key.Set!.Resolve((uint)box.Count).Any(r => seq >= r.First && seq <= r.Last),
            SearchKeyKind.Not => !Matches(key.Children![0], seq, message, content),
            SearchKeyKind.Or => Matches(key.Children![0], seq, message, content) || Matches(key.Children[1], seq, message, content),
            SearchKeyKind.And => key.Children!.All(c => Matches(c, seq, message, content)),
            SearchKeyKind.Larger => details!.Size > key.Size,
            SearchKeyKind.Smaller => details!.Size < key.Size,
            SearchKeyKind.Before => InternalDay(details!) < key.Date,
            SearchKeyKind.On => InternalDay(details!) == key.Date,
            SearchKeyKind.Since => InternalDay(details!) >= key.Date,
            SearchKeyKind.SentBefore => SentDay(details!) is { } d1 && d1 < key.Date,
            SearchKeyKind.SentOn => SentDay(details!) is { } d2 && d2 == key.Date,
            SearchKeyKind.SentSince => SentDay(details!) is { } d3 && d3 >= key.Date,
            SearchKeyKind.From => Contains(Addresses(details!.Metadata.Envelope.From), key.Text!),
            SearchKeyKind.To => Contains(Addresses(details!.Metadata.Envelope.To), key.Text!),
            SearchKeyKind.Cc => Contains(Addresses(details!.Metadata.Envelope.Cc), key.Text!),
            SearchKeyKind.Bcc => Contains(Addresses(details!.Metadata.Envelope.Bcc), key.Text!),
            SearchKeyKind.Subject => details!.Metadata.Envelope.Subject is { } subject
                && (Contains(subject, key.Text!) || Contains(Rfc2047.DecodeText(System.Text.Encoding.UTF8.GetBytes(subject)), key.Text!)),
            SearchKeyKind.Header => content is not null && HeaderMatches(content, key.Field!, key.Text!),
            SearchKeyKind.Body => content is not null && BodyMatches(content, key.Text!),
            SearchKeyKind.Text => content is not null && (content.Headers.Any(h => Contains(h.Value, key.Text!)) || BodyMatches(content, key.Text!)),
            _ => false,
        };
    }

    private static bool Has(MailboxMessage message, string flag) => message.Flags.Any(f => f.Equals(flag, StringComparison.OrdinalIgnoreCase));

    /// <summary>RFC 3501 §6.4.4: date comparisons disregard time and timezone.</summary>
    private static DateOnly InternalDay(MessageDetails details) => DateOnly.FromDateTime(details.InternalDate.DateTime);

    private static DateOnly? SentDay(MessageDetails details) =>
        details.Metadata.Envelope.Date is { } date && DateUtils.TryParse(date, out DateTimeOffset sent) ? DateOnly.FromDateTime(sent.DateTime) : null;

    private static string Addresses(IReadOnlyList<EnvelopeAddress>? list) =>
        list is null ? "" : string.Join(", ", list.Select(a => $"{a.Name} <{a.Mailbox}@{a.Host}>"));

    private static bool Contains(string haystack, string needle) => haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 3501 §6.4.4 HEADER: an empty string matches every message that has the field.</summary>
    private static bool HeaderMatches(MimeMessage message, string field, string text) =>
        message.Headers.Any(h => h.Field.Equals(field, StringComparison.OrdinalIgnoreCase) && Contains(h.Value, text));

    private static bool BodyMatches(MimeMessage message, string text) =>
        message.BodyParts.OfType<TextPart>().Any(p => Contains(p.Text ?? "", text));
}
