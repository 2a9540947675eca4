using System.Threading.Channels;
using Postroom.Imap.Protocol;
using Postroom.Mailbox;
using Postroom.Mailbox.Redis;

namespace Postroom.Imap.Session;

/// <summary>
/// The session's view of its selected mailbox: the UID of every message sequence number (RFC 3501 §2.3.1.2),
/// and the change notifications from every replica, applied only when the session reports them.
/// </summary>
internal sealed class SelectedMailbox : IAsyncDisposable
{
    private readonly MailboxWatch _watch;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<MailboxChange> _changes = Channel.CreateBounded<MailboxChange>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Task _pump;

    public SelectedMailbox(string name, MailboxStatus status, bool readOnly, MailboxWatch watch)
    {
        Name = name;
        Id = status.Id;
        UidValidity = status.UidValidity;
        ReadOnly = readOnly;
        HighestModSeq = status.HighestModSeq;
        _watch = watch;
        _pump = Task.Run(PumpAsync);
    }

    public string Name { get; }

    public string Id { get; }

    public uint UidValidity { get; }

    public bool ReadOnly { get; }

    public ulong HighestModSeq { get; set; }

    /// <summary>UIDs by sequence number - 1, ascending.</summary>
    public List<uint> Uids { get; } = [];

    /// <summary>Messages from this UID on are \Recent to this session (0: none).</summary>
    public uint RecentFrom { get; set; }

    /// <summary>Mod-sequences of this session's own flag changes: their notifications are not echoed back.</summary>
    public HashSet<ulong> OwnModSeqs { get; } = [];

    /// <summary>Expunged UIDs not yet reported (EXPUNGE waits while FETCH, STORE and SEARCH run).</summary>
    public SortedSet<uint> PendingExpunges { get; } = [];

    /// <summary>UIDs whose flags changed elsewhere, not yet reported.</summary>
    public SortedSet<uint> PendingFlags { get; } = [];

    /// <summary>Messages were added: look for UIDs above <see cref="LastUid"/> at the next report.</summary>
    public bool NeedCatchUp { get; set; }

    public uint LastUid => Uids.Count > 0 ? Uids[^1] : 0;

    public int Count => Uids.Count;

    public ChannelReader<MailboxChange> Changes => _changes.Reader;

    /// <summary>The sequence number of a UID, 0 when the session does not know it.</summary>
    public uint SeqOf(uint uid)
    {
        var index = Uids.BinarySearch(uid);
        return index < 0 ? 0 : (uint)index + 1;
    }

    public bool IsRecent(uint uid) => RecentFrom != 0 && uid >= RecentFrom;

    /// <summary>
    /// The UIDs a sequence set names. For message numbers a number beyond the mailbox is an error (null); "*"
    /// in an empty mailbox names nothing. For UIDs, "*" is the largest UID (RFC 3501 §6.4.8), and UIDs the
    /// session does not know are simply not there.
    /// </summary>
    public UidSet? Resolve(SequenceSet set, bool uid)
    {
        if (uid)
        {
            return UidSet.FromRanges(set.Resolve(LastUid == 0 ? uint.MaxValue : LastUid));
        }

        var ranges = new List<(uint First, uint Last)>();
        foreach (var (first, last) in set.Resolve((uint)Count))
        {
            if (Count == 0)
            {
                if (set.Ranges.Any(r => r.First == SequenceSet.Star || r.Last == SequenceSet.Star))
                {
                    continue;
                }

                return null;
            }

            if (last > Count || first == 0)
            {
                return null;
            }

            ranges.Add((Uids[(int)first - 1], Uids[(int)last - 1]));
        }

        return UidSet.FromRanges(ranges);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watch.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        await foreach (var change in _watch.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            await _changes.Writer.WriteAsync(change, _stop.Token).ConfigureAwait(false);
        }
    }
}
