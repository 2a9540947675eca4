using Postroom.Imap.Protocol;
using Postroom.Imap.Session;
using Postroom.Mailbox;

namespace Postroom.Imap.Commands;

/// <summary>CREATE (RFC 3501 §6.3.3). A trailing delimiter only says the client wants children (ignored).</summary>
internal sealed class CreateCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseMailbox(ref reader, out var wire) || !reader.End)
        {
            return ImapResponses.SyntaxError;
        }

        if (!Arguments.TryNormalize(wire.TrimEnd(MailboxNames.Delimiter), out var name, out var error))
        {
            return error;
        }

        if (name == MailboxNames.Inbox)
        {
            return ImapResponses.AlreadyExists;
        }

        await session.Store.CreateMailboxAsync(session.User, name, cancellationToken).ConfigureAwait(false);
        return ImapResponses.Completed;
    }
}

/// <summary>DELETE (RFC 3501 §6.3.4).</summary>
internal sealed class DeleteCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!Arguments.TryParseOneMailbox(request, out var name, out var error))
        {
            return error;
        }

        if (name == MailboxNames.Inbox)
        {
            return ImapResponses.CannotDeleteInbox;
        }

        if (session.Selected?.Name == name)
        {
            await session.CloseSelectedAsync().ConfigureAwait(false);
        }

        await session.Store.DeleteMailboxAsync(session.User, name, cancellationToken).ConfigureAwait(false);
        return ImapResponses.Completed;
    }
}

/// <summary>RENAME (RFC 3501 §6.3.5).</summary>
internal sealed class RenameCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseMailbox(ref reader, out var fromWire) || !ImapParser.TryParseSp(ref reader)
            || !ImapParser.TryParseMailbox(ref reader, out var toWire) || !reader.End)
        {
            return ImapResponses.SyntaxError;
        }

        if (!Arguments.TryNormalize(fromWire, out var from, out var error) || !Arguments.TryNormalize(toWire, out var to, out error))
        {
            return error;
        }

        await session.Store.RenameMailboxAsync(session.User, from, to, cancellationToken).ConfigureAwait(false);
        return ImapResponses.Completed;
    }
}

/// <summary>SUBSCRIBE (RFC 3501 §6.3.6) and UNSUBSCRIBE (§6.3.7).</summary>
internal sealed class SubscribeCommand(bool subscribe) : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!Arguments.TryParseOneMailbox(request, out var name, out var error))
        {
            return error;
        }

        if (subscribe)
        {
            await session.Store.SubscribeAsync(session.User, name, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await session.Store.UnsubscribeAsync(session.User, name, cancellationToken).ConfigureAwait(false);
        }

        return ImapResponses.Completed;
    }
}

/// <summary>STATUS (RFC 3501 §6.3.10), with HIGHESTMODSEQ (RFC 7162) and SIZE (RFC 8438).</summary>
internal sealed class StatusCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseMailbox(ref reader, out var wire) || !ImapParser.TryParseSp(ref reader)
            || !ImapParser.TryParseStatusAttributes(ref reader, out var attributes) || !reader.End)
        {
            return ImapResponses.SyntaxError;
        }

        if (!Arguments.TryNormalize(wire, out var name, out var error))
        {
            return error;
        }

        var status = await session.Store.GetMailboxStatusAsync(session.User, name, cancellationToken).ConfigureAwait(false);
        var items = attributes.Select(a => a + " " + a switch
        {
            "MESSAGES" => status.Messages.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "RECENT" => status.Recent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "UIDNEXT" => status.UidNext.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "UIDVALIDITY" => status.UidValidity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "UNSEEN" => status.Unseen.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "HIGHESTMODSEQ" => status.HighestModSeq.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => status.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var output = session.Transport.Output;
        ImapWriter.Ascii(output, "* STATUS ");
        ImapWriter.Mailbox(output, name);
        ImapWriter.Ascii(output, " (" + string.Join(' ', items) + ")");
        session.EndLine();
        return ImapResponses.Completed;
    }
}

/// <summary>GETQUOTA and GETQUOTAROOT (RFC 9208): one root "" per user holding the STORAGE resource in KiB.</summary>
internal sealed class GetQuotaCommand(bool root) : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        string? mailbox = null;
        if (root)
        {
            if (!ImapParser.TryParseMailbox(ref reader, out var wire) || !reader.End)
            {
                return ImapResponses.SyntaxError;
            }

            if (!Arguments.TryNormalize(wire, out var name, out var error))
            {
                return error;
            }

            // The mailbox must exist (RFC 9208 §4.3.2).
            await session.Store.GetMailboxStatusAsync(session.User, name, cancellationToken).ConfigureAwait(false);
            mailbox = name;
        }
        else if (!ImapParser.TryParseAString(ref reader, out var quotaRoot) || !reader.End)
        {
            return ImapResponses.SyntaxError;
        }
        else if (quotaRoot.Length != 0)
        {
            return ImapResponses.NoSuchQuotaRoot;
        }

        var output = session.Transport.Output;
        if (mailbox is not null)
        {
            ImapWriter.Ascii(output, "* QUOTAROOT ");
            ImapWriter.Mailbox(output, mailbox);
            ImapWriter.Ascii(output, " \"\"");
            session.EndLine();
        }

        if (session.Info.QuotaBytes is { } quota)
        {
            var usage = await session.Store.GetUsageAsync(session.User, cancellationToken).ConfigureAwait(false);
            session.Untagged($"QUOTA \"\" (STORAGE {(usage.Bytes + 1023) / 1024} {quota / 1024})");
        }
        else if (!root)
        {
            session.Untagged("QUOTA \"\" ()");
        }

        return ImapResponses.Completed;
    }
}
