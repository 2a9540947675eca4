using Postroom.Mailbox.Metadata;

namespace Postroom.Mailbox;

/// <summary>SPECIAL-USE roles (RFC 6154), plus INBOX.</summary>
public enum SpecialUse
{
    None = 0,
    Inbox,
    Sent,
    Drafts,
    Trash,
    Junk,
    Archive,
}

/// <summary>One message to append.</summary>
/// <param name="User">Canonical user address, e.g. jane@example.com.</param>
/// <param name="Mailbox">Mailbox name; empty means INBOX. Special-use names are created on first use.</param>
/// <param name="BlobKey">Object-storage key of the immutable body.</param>
/// <param name="BlobSize">Size of the body in bytes.</param>
/// <param name="HeaderPrefix">Header lines shown before the body in this mailbox only (may be empty).</param>
/// <param name="Flags">System flags and keywords.</param>
/// <param name="InternalDate">The IMAP INTERNALDATE.</param>
/// <param name="IdempotencyKey">Unique per message and recipient; null or empty for none.</param>
/// <param name="QuotaBytes">The user's quota in bytes; null for unlimited.</param>
public sealed record AppendRequest(
    string User,
    string Mailbox,
    string BlobKey,
    long BlobSize,
    ReadOnlyMemory<byte> HeaderPrefix,
    IReadOnlyCollection<string> Flags,
    DateTimeOffset InternalDate,
    string? IdempotencyKey,
    long? QuotaBytes = null);

/// <summary>How an append ended.</summary>
public enum AppendStatus
{
    Appended = 1,
    Duplicate = 2,
    QuotaExceeded = 3,
}

/// <summary>The result of an append: the UID, or the first append's UID when <see cref="Duplicate"/>.</summary>
public sealed record AppendResult(AppendStatus Status, uint UidValidity, uint Uid, ulong ModSeq)
{
    public bool Duplicate => Status == AppendStatus.Duplicate;
}

/// <summary>A mailbox of a user, as listed.</summary>
public sealed record MailboxInfo(string Name, string Id, SpecialUse SpecialUse, bool Subscribed, uint Messages, long Size);

/// <summary>STATUS / SELECT data of one mailbox.</summary>
public sealed record MailboxStatus(
    string Name,
    string Id,
    SpecialUse SpecialUse,
    uint Messages,
    uint Recent,
    uint UidNext,
    uint UidValidity,
    uint Unseen,
    ulong HighestModSeq,
    long Size);

/// <summary>A user's usage, counted over all mailboxes.</summary>
public sealed record MailboxUsage(long Bytes, long Messages);

/// <summary>
/// One message of a mailbox. <see cref="Details"/> is null when the listing asked for flags only.
/// </summary>
public sealed record MailboxMessage(uint Uid, ulong ModSeq, IReadOnlyList<string> Flags, MessageDetails? Details);

/// <summary>The immutable part of a mailbox entry.</summary>
/// <param name="BlobKey">Object-storage key of the body.</param>
/// <param name="BlobSize">Size of the body.</param>
/// <param name="Size">RFC822.SIZE: header prefix plus blob.</param>
/// <param name="InternalDate">The IMAP INTERNALDATE.</param>
/// <param name="HeaderPrefix">Header lines shown before the body in this mailbox.</param>
/// <param name="Metadata">Envelope and body structure, offsets relative to the blob.</param>
public sealed record MessageDetails(
    string BlobKey,
    long BlobSize,
    long Size,
    DateTimeOffset InternalDate,
    ReadOnlyMemory<byte> HeaderPrefix,
    MessageMetadata Metadata);

/// <summary>How STORE changes flags.</summary>
public enum FlagOperation
{
    Add,
    Remove,
    Replace,
}

/// <summary>A message's flags after a STORE.</summary>
public sealed record FlagUpdate(uint Uid, ulong ModSeq, IReadOnlyList<string> Flags);

/// <summary>
/// The outcome of STORE: every matched message with its flags now, and (CONDSTORE) the UIDs not
/// changed because their mod-sequence was above UNCHANGEDSINCE.
/// </summary>
public sealed record StoreFlagsResult(IReadOnlyList<FlagUpdate> Updated, IReadOnlyList<uint> Modified, ulong HighestModSeq);

/// <summary>The UID mapping of COPY/MOVE (RFC 4315 COPYUID).</summary>
public sealed record CopyResult(uint DestinationUidValidity, IReadOnlyList<uint> SourceUids, IReadOnlyList<uint> DestinationUids);

/// <summary>What changed in a mailbox.</summary>
public enum MailboxChangeKind
{
    Exists,
    Expunge,
    Flags,
}

/// <summary>A change notification: messages added, expunged or re-flagged, with the mod-sequence after the change.</summary>
public sealed record MailboxChange(string MailboxId, MailboxChangeKind Kind, ulong ModSeq, IReadOnlyList<uint> Uids);

/// <summary>The result of deleting a domain's data.</summary>
public sealed record DomainDeletion(int Users, long MessagesDeleted);
