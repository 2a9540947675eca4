using Postroom.Imap.Protocol;
using Postroom.Imap.Session;
using Postroom.Mailbox;

namespace Postroom.Imap.Commands;

/// <summary>COPY (RFC 3501 §6.4.7) and MOVE (RFC 6851), UID forms included, with COPYUID (RFC 4315).</summary>
internal sealed class CopyCommand(bool move) : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseSequenceSet(ref reader, out var set) || !ImapParser.TryParseSp(ref reader)
            || !ImapParser.TryParseMailbox(ref reader, out var wire) || !reader.End)
        {
            return ImapResponses.SyntaxError;
        }

        if (!Arguments.TryNormalize(wire, out var destination, out var error))
        {
            return error;
        }

        var box = session.Selected!;
        var uids = box.Resolve(set, request.Uid);
        if (uids is null)
        {
            return ImapResponses.InvalidSequenceSet;
        }

        if (move && box.ReadOnly)
        {
            return ImapResponses.ReadOnly;
        }

        try
        {
            await session.Store.GetMailboxStatusAsync(session.User, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (MailboxNotFoundException)
        {
            return ImapResponses.TryCreate;
        }

        var result = move
            ? await session.Store.MoveMessagesAsync(session.User, box.Name, uids, destination, cancellationToken).ConfigureAwait(false)
            : await session.Store.CopyMessagesAsync(session.User, box.Name, uids, destination, session.Info.QuotaBytes, cancellationToken).ConfigureAwait(false);

        if (destination == box.Name)
        {
            box.NeedCatchUp = true;
        }

        var code = result.SourceUids.Count == 0
            ? null
            : $"COPYUID {result.DestinationUidValidity} {UidSetText(result.SourceUids)} {UidSetText(result.DestinationUids)}";
        if (!move)
        {
            return new ImapResult(ImapStatus.Ok, code, "COPY completed");
        }

        // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGE responses.
        if (code is not null)
        {
            session.Untagged($"OK [{code}] Moved");
        }

        foreach (var uid in result.SourceUids.Order())
        {
            var seq = box.SeqOf(uid);
            if (seq != 0)
            {
                session.Untagged($"{seq} EXPUNGE");
                box.Uids.RemoveAt((int)seq - 1);
                box.PendingExpunges.Remove(uid);
            }
        }

        return ImapResponses.Completed.WithText("MOVE completed");
    }

    /// <summary>A uid-set in the client's order (RFC 4315 §3: the two sets of COPYUID correspond element by element).</summary>
    internal static string UidSetText(IReadOnlyList<uint> uids)
    {
        var parts = new List<string>();
        var i = 0;
        while (i < uids.Count)
        {
            var j = i;
            while (j + 1 < uids.Count && uids[j + 1] == uids[j] + 1)
            {
                j++;
            }

            parts.Add(j == i ? uids[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{uids[i]}:{uids[j]}");
            i = j + 1;
        }

        return string.Join(',', parts);
    }
}

/// <summary>EXPUNGE (RFC 3501 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1).</summary>
internal sealed class ExpungeCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var box = session.Selected!;
        UidSet? uids = null;
        var reader = request.Reader();
        if (request.Uid)
        {
            if (!ImapParser.TryParseSequenceSet(ref reader, out var set) || !reader.End)
            {
                return ImapResponses.SyntaxError;
            }

            uids = box.Resolve(set, uid: true);
        }
        else if (!reader.End)
        {
            return ImapResponses.SyntaxError;
        }

        if (box.ReadOnly)
        {
            return ImapResponses.ReadOnly;
        }

        var expunged = await session.Store.ExpungeAsync(session.User, box.Name, uids, cancellationToken).ConfigureAwait(false);
        foreach (var uid in expunged)
        {
            var seq = box.SeqOf(uid);
            if (seq != 0)
            {
                session.Untagged($"{seq} EXPUNGE");
                box.Uids.RemoveAt((int)seq - 1);
                box.PendingExpunges.Remove(uid);
            }
        }

        return ImapResponses.Completed;
    }
}
