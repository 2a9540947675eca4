using Postroom.Imap.Protocol;
using Postroom.Imap.Session;
using Postroom.Mailbox;

namespace Postroom.Imap.Commands;

/// <summary>STORE and UID STORE (RFC 3501 §6.4.6): FLAGS, +FLAGS, -FLAGS, each optionally .SILENT.</summary>
internal sealed class StoreCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseSequenceSet(ref reader, out var set) || !ImapParser.TryParseSp(ref reader)
            || !ImapParser.TryParseStoreAction(ref reader, out var action) || !reader.End)
        {
            return ImapResponses.SyntaxError;
        }

        var box = session.Selected!;
        var uids = box.Resolve(set, request.Uid);
        if (uids is null)
        {
            return ImapResponses.InvalidSequenceSet;
        }

        if (box.ReadOnly)
        {
            return ImapResponses.ReadOnly;
        }

        string[] flags;
        try
        {
            flags = MessageFlags.Normalize(action.Flags);
        }
        catch (ArgumentException)
        {
            return ImapResponses.InvalidFlag;
        }

        var result = await session.Store.StoreFlagsAsync(session.User, box.Name, uids, action.Operation, flags, null, cancellationToken).ConfigureAwait(false);
        box.OwnModSeqs.UnionWith(result.Updated.Select(u => u.ModSeq));
        if (!action.Silent)
        {
            foreach (var update in result.Updated)
            {
                var seq = box.SeqOf(update.Uid);
                if (seq == 0)
                {
                    continue;
                }

                var message = new MailboxMessage(update.Uid, update.ModSeq, update.Flags, null);
                session.Untagged(request.Uid
                    ? $"{seq} FETCH (UID {update.Uid} FLAGS ({ImapSession.FlagText(box, message)}))"
                    : $"{seq} FETCH (FLAGS ({ImapSession.FlagText(box, message)}))");
                await session.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return ImapResponses.Completed;
    }
}
