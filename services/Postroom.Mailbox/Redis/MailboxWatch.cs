using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using StackExchange.Redis;

namespace Postroom.Mailbox.Redis;

/// <summary>
/// A live subscription to one mailbox's changes (Redis pub/sub), active from when
/// <see cref="RedisMailboxStore.WatchAsync"/> returns until disposed.
/// Payload on the wire: <c>"&lt;E|X|F&gt; &lt;modseq&gt; &lt;uid&gt;,&lt;uid&gt;..."</c>.
/// </summary>
public sealed class MailboxWatch : IAsyncDisposable
{
    private readonly ChannelMessageQueue _queue;
    private readonly string _mailboxId;

    internal MailboxWatch(ChannelMessageQueue queue, string mailboxId)
    {
        _queue = queue;
        _mailboxId = mailboxId;
    }

    /// <summary>The changes as they arrive, until cancelled or disposed.</summary>
    public async IAsyncEnumerable<MailboxChange> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            ChannelMessage message;
            try
            {
                message = await _queue.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                yield break;
            }

            if (Parse(_mailboxId, (string?)message.Message) is { } change)
            {
                yield return change;
            }
        }
    }

    public ValueTask DisposeAsync() => new(_queue.UnsubscribeAsync());

    internal static MailboxChange? Parse(string mailboxId, string? payload)
    {
        var parts = payload?.Split(' ');
        if (parts is not { Length: 3 } || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var modseq))
        {
            return null;
        }

        var kind = parts[0] switch
        {
            "E" => MailboxChangeKind.Exists,
            "X" => MailboxChangeKind.Expunge,
            "F" => MailboxChangeKind.Flags,
            _ => (MailboxChangeKind?)null,
        };
        if (kind is null)
        {
            return null;
        }

        var uids = parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(u => uint.Parse(u, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToArray();
        return new MailboxChange(mailboxId, kind.Value, modseq, uids);
    }
}
