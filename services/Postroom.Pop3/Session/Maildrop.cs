using System.Globalization;

namespace Postroom.Pop3.Session;

/// <summary>
/// The snapshot of the user's INBOX taken at login (RFC 1939 §4: message numbers are fixed for the session),
/// with the deletion marks of the session. Only what POP3 needs is kept per message, never the body.
/// </summary>
internal sealed class Maildrop
{
    private readonly MaildropMessage[] _messages;
    private readonly bool[] _deleted;

    public Maildrop(uint uidValidity, IEnumerable<MaildropMessage> messages)
    {
        UidValidity = uidValidity;
        _messages = [.. messages];
        _deleted = new bool[_messages.Length];
        LiveCount = _messages.Length;
        LiveSize = _messages.Sum(m => m.Size);
    }

    public uint UidValidity { get; }

    /// <summary>Messages in the snapshot, deleted ones included: the highest message number.</summary>
    public int Count => _messages.Length;

    /// <summary>Messages not marked deleted.</summary>
    public int LiveCount { get; private set; }

    /// <summary>The size of the messages not marked deleted.</summary>
    public long LiveSize { get; private set; }

    /// <summary>UIDs retrieved with RETR in this session.</summary>
    public HashSet<uint> Retrieved { get; } = [];

    /// <summary>The message numbered <paramref name="number"/> (1-based); the caller has checked the range.</summary>
    public MaildropMessage this[int number] => _messages[number - 1];

    public bool Contains(int number) => number >= 1 && number <= _messages.Length;

    public bool IsDeleted(int number) => _deleted[number - 1];

    public void MarkDeleted(int number)
    {
        if (!_deleted[number - 1])
        {
            _deleted[number - 1] = true;
            LiveCount--;
            LiveSize -= _messages[number - 1].Size;
        }
    }

    /// <summary>RSET (RFC 1939 §5): every deletion mark is removed.</summary>
    public void ResetDeletions()
    {
        Array.Clear(_deleted);
        LiveCount = _messages.Length;
        LiveSize = _messages.Sum(m => m.Size);
    }

    /// <summary>The messages not marked deleted, in message-number order.</summary>
    public IEnumerable<MaildropMessage> Live => _messages.Where(m => !_deleted[m.Number - 1]);

    /// <summary>The UIDs marked deleted, to be expunged at QUIT.</summary>
    public List<uint> DeletedUids() => [.. _messages.Where(m => _deleted[m.Number - 1]).Select(m => m.Uid)];

    /// <summary>
    /// RFC 1939 §7 UIDL: a unique-id of 1 to 70 characters in 0x21-0x7E that never changes for the message.
    /// UIDVALIDITY and UID together identify a message for good (a new UIDVALIDITY gives new ids).
    /// </summary>
    public string UniqueId(MaildropMessage message) => string.Create(CultureInfo.InvariantCulture, $"{UidValidity}.{message.Uid}");
}

/// <summary>One message of the snapshot.</summary>
/// <param name="Number">The message number, 1-based, fixed for the session.</param>
/// <param name="Uid">The message's UID in INBOX.</param>
/// <param name="Size">Header prefix plus body, in octets (RFC 1939 §5: the exact size before dot-stuffing).</param>
/// <param name="BlobKey">The body in object storage.</param>
/// <param name="HeaderPrefix">Header lines shown before the body in this mailbox.</param>
internal sealed record MaildropMessage(int Number, uint Uid, long Size, string BlobKey, ReadOnlyMemory<byte> HeaderPrefix);
