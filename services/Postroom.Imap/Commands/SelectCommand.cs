using Postroom.Imap.Protocol;
using Postroom.Imap.Session;
using Postroom.Mailbox;

namespace Postroom.Imap.Commands;

/// <summary>SELECT (RFC 3501 §6.3.1) and EXAMINE (§6.3.2).</summary>
internal sealed class SelectCommand(bool readOnly) : IImapCommand
{
    private const string SystemFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!Arguments.TryParseOneMailbox(request, out var name, out var error))
        {
            return error;
        }

        // RFC 3501 §6.3.1: a SELECT deselects the current mailbox first, even when it then fails.
        await session.CloseSelectedAsync().ConfigureAwait(false);

        var status = await session.Store.GetMailboxStatusAsync(session.User, name, cancellationToken).ConfigureAwait(false);

        // Subscribe before listing: a change made meanwhile is then seen twice (harmless), never missed.
        var watch = await session.Store.WatchAsync(session.User, status.Id, cancellationToken).ConfigureAwait(false);
        var box = new SelectedMailbox(name, status, readOnly, watch);
        try
        {
            if (!readOnly)
            {
                box.RecentFrom = await session.Store.ClaimRecentAsync(session.User, name, cancellationToken).ConfigureAwait(false);
            }

            uint firstUnseen = 0;
            var keywords = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            await foreach (var message in session.Store.ListMessagesAsync(session.User, name, UidSet.All, false, cancellationToken, session.Options.PageSize).ConfigureAwait(false))
            {
                box.Uids.Add(message.Uid);
                if (firstUnseen == 0 && !message.Flags.Contains(MessageFlags.Seen))
                {
                    firstUnseen = (uint)box.Uids.Count;
                }

                foreach (var flag in message.Flags)
                {
                    if (flag[0] != '\\' && keywords.Count < 100)
                    {
                        keywords.Add(flag);
                    }
                }
            }

            var flags = keywords.Count == 0 ? SystemFlags : SystemFlags + " " + string.Join(' ', keywords);
            var recent = box.RecentFrom == 0 ? 0 : box.Uids.Count(box.IsRecent);
            session.Untagged($"FLAGS ({flags})");
            session.Untagged(readOnly ? "OK [PERMANENTFLAGS ()] Read-only mailbox" : $"OK [PERMANENTFLAGS ({flags} \\*)] Flags permitted");
            session.Untagged($"{box.Count} EXISTS");
            session.Untagged($"{recent} RECENT");
            if (firstUnseen != 0)
            {
                session.Untagged($"OK [UNSEEN {firstUnseen}] First unseen");
            }

            var uidNext = Math.Max(status.UidNext, box.LastUid + 1);
            session.Untagged($"OK [UIDVALIDITY {status.UidValidity}] UIDs valid");
            session.Untagged($"OK [UIDNEXT {uidNext}] Predicted next UID");
            session.Untagged($"OK [HIGHESTMODSEQ {status.HighestModSeq}] Highest");
        }
        catch
        {
            await box.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        session.Selected = box;
        session.State = ImapState.Selected;
        return new ImapResult(ImapStatus.Ok, readOnly ? "READ-ONLY" : "READ-WRITE", readOnly ? "EXAMINE completed" : "SELECT completed");
    }
}
