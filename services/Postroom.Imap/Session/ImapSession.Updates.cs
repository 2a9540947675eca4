using Postroom.Imap.Protocol;
using Postroom.Mailbox;

namespace Postroom.Imap.Session;

/// <summary>
/// Reporting what other sessions (on any replica) changed in the selected mailbox: EXPUNGE, EXISTS and
/// FETCH FLAGS (RFC 3501 §7.3.1, §7.4.1, §7.4.2).
/// </summary>
public sealed partial class ImapSession
{
    /// <summary>Takes the notifications that arrived and reports them; EXPUNGE only when <paramref name="allowExpunge"/>.</summary>
    internal async Task ReportUpdatesAsync(bool allowExpunge, CancellationToken cancellationToken)
    {
        var box = Selected;
        if (box is null)
        {
            return;
        }

        while (box.Changes.TryRead(out var change))
        {
            switch (change.Kind)
            {
                case MailboxChangeKind.Exists:
                    if (change.Uids.Any(u => u > box.LastUid))
                    {
                        box.NeedCatchUp = true;
                    }

                    break;
                case MailboxChangeKind.Expunge:
                    foreach (var uid in change.Uids)
                    {
                        if (box.SeqOf(uid) != 0)
                        {
                            box.PendingExpunges.Add(uid);
                            box.PendingFlags.Remove(uid);
                        }
                    }

                    break;
                default:
                    if (!box.OwnModSeqs.Remove(change.ModSeq))
                    {
                        box.PendingFlags.UnionWith(change.Uids.Where(u => box.SeqOf(u) != 0));
                    }

                    break;
            }

            box.HighestModSeq = Math.Max(box.HighestModSeq, change.ModSeq);
        }

        if (allowExpunge && box.PendingExpunges.Count > 0)
        {
            foreach (var uid in box.PendingExpunges)
            {
                var seq = box.SeqOf(uid);
                if (seq != 0)
                {
                    Untagged($"{seq} EXPUNGE");
                    box.Uids.RemoveAt((int)seq - 1);
                }
            }

            box.PendingExpunges.Clear();
        }

        if (box.NeedCatchUp)
        {
            box.NeedCatchUp = false;
            var before = box.Count;
            await foreach (var message in Store.ListMessagesAsync(User, box.Name, UidSet.Range(box.LastUid + 1, uint.MaxValue), false, cancellationToken, Options.PageSize).ConfigureAwait(false))
            {
                if (message.Uid > box.LastUid)
                {
                    box.Uids.Add(message.Uid);
                }
            }

            if (box.Count != before)
            {
                Untagged($"{box.Count} EXISTS");
            }
        }

        if (box.PendingFlags.Count > 0)
        {
            var uids = UidSet.Of(box.PendingFlags);
            box.PendingFlags.Clear();
            await foreach (var message in Store.ListMessagesAsync(User, box.Name, uids, false, cancellationToken, Options.PageSize).ConfigureAwait(false))
            {
                var seq = box.SeqOf(message.Uid);
                if (seq != 0)
                {
                    Untagged($"{seq} FETCH (UID {message.Uid} FLAGS ({FlagText(box, message)}))");
                }
            }
        }
    }

    /// <summary>The flags of a message as FETCH shows them, \Recent included.</summary>
    internal static string FlagText(SelectedMailbox box, MailboxMessage message) =>
        box.IsRecent(message.Uid) ? string.Join(' ', message.Flags.Append("\\Recent")) : string.Join(' ', message.Flags);

    /// <summary>Maps a store refusal to the tagged response; argument errors are names the store refused.</summary>
    internal static ImapResult? ResultFor(Exception e) => e switch
    {
        ArgumentException => ImapResponses.InvalidMailboxName,
        _ => null,
    };
}
