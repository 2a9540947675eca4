namespace Postroom.Mailbox;

/// <summary>
/// The mailbox index of mailbox-access: mailboxes, messages, flags, quotas and change
/// notifications of users. Bodies stay in object storage and are referenced by blob key.
/// </summary>
/// <remarks>
/// Mailbox names are normalized with <see cref="MailboxNames.Normalize"/>. INBOX always exists;
/// a special-use mailbox (Sent, Drafts, Trash, Junk, Archive) is created when an operation first
/// names it. Operations on a missing mailbox throw <see cref="MailboxNotFoundException"/>.
/// </remarks>
public interface IMailboxStore
{
    /// <summary>
    /// Appends one message. Idempotent by <see cref="AppendRequest.IdempotencyKey"/>: a repeated key
    /// returns the first result with <see cref="AppendStatus.Duplicate"/>.
    /// </summary>
    /// <exception cref="MailboxQuotaExceededException">The message would exceed the quota.</exception>
    Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken);

    /// <summary>Creates a mailbox (and missing parents, RFC 3501 section 6.3.3).</summary>
    /// <exception cref="MailboxAlreadyExistsException">It exists.</exception>
    Task<MailboxStatus> CreateMailboxAsync(string user, string mailbox, CancellationToken cancellationToken);

    /// <summary>Deletes a mailbox and its messages (not its children). INBOX cannot be deleted.</summary>
    Task DeleteMailboxAsync(string user, string mailbox, CancellationToken cancellationToken);

    /// <summary>
    /// Renames a mailbox and its children. Renaming INBOX moves its messages to the new name and
    /// leaves an empty INBOX (RFC 3501 section 6.3.5); INBOX's children stay.
    /// </summary>
    Task RenameMailboxAsync(string user, string mailbox, string newName, CancellationToken cancellationToken);

    /// <summary>All mailboxes of a user, ordered by name (INBOX exists after this call).</summary>
    Task<IReadOnlyList<MailboxInfo>> ListMailboxesAsync(string user, CancellationToken cancellationToken);

    Task SubscribeAsync(string user, string mailbox, CancellationToken cancellationToken);

    Task UnsubscribeAsync(string user, string mailbox, CancellationToken cancellationToken);

    /// <summary>Subscribed names (they need not exist, RFC 3501 section 6.3.6).</summary>
    Task<IReadOnlyList<string>> ListSubscriptionsAsync(string user, CancellationToken cancellationToken);

    Task<MailboxStatus> GetMailboxStatusAsync(string user, string mailbox, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the \Recent state of the mailbox's messages for everyone else: returns the first UID
    /// that is recent for the caller (the session that selected the mailbox first); messages from
    /// it on are recent to that session only. 0 when none is recent.
    /// </summary>
    Task<uint> ClaimRecentAsync(string user, string mailbox, CancellationToken cancellationToken);

    /// <summary>
    /// The messages whose UIDs are in <paramref name="uids"/>, in UID order, read from Redis in pages
    /// of <paramref name="pageSize"/>; with <paramref name="includeDetails"/> false only UID, flags
    /// and mod-sequence are read.
    /// </summary>
    IAsyncEnumerable<MailboxMessage> ListMessagesAsync(string user, string mailbox, UidSet uids, bool includeDetails, CancellationToken cancellationToken, int pageSize = 500);

    /// <summary>
    /// Changes the flags of the messages in <paramref name="uids"/>. With
    /// <paramref name="unchangedSince"/> (CONDSTORE, RFC 7162), messages whose mod-sequence is higher
    /// are left as they are and reported in <see cref="StoreFlagsResult.Modified"/>.
    /// </summary>
    Task<StoreFlagsResult> StoreFlagsAsync(string user, string mailbox, UidSet uids, FlagOperation operation, IReadOnlyCollection<string> flags, ulong? unchangedSince, CancellationToken cancellationToken);

    /// <summary>
    /// Removes messages flagged \Deleted: all of them, or only those in <paramref name="uids"/>
    /// (UID EXPUNGE, RFC 4315). Returns the removed UIDs in order.
    /// </summary>
    Task<IReadOnlyList<uint>> ExpungeAsync(string user, string mailbox, UidSet? uids, CancellationToken cancellationToken);

    /// <summary>Copies messages to another mailbox of the same user (bodies referenced, not copied).</summary>
    Task<CopyResult> CopyMessagesAsync(string user, string mailbox, UidSet uids, string destination, long? quotaBytes, CancellationToken cancellationToken);

    /// <summary>Moves messages to another mailbox of the same user (RFC 6851).</summary>
    Task<CopyResult> MoveMessagesAsync(string user, string mailbox, UidSet uids, string destination, CancellationToken cancellationToken);

    Task<MailboxUsage> GetUsageAsync(string user, CancellationToken cancellationToken);

    /// <summary>Removes every mailbox and message of a user; returns the number of messages removed.</summary>
    Task<long> DeleteUserDataAsync(string user, CancellationToken cancellationToken);

    /// <summary>Users of a domain that have (or had, until deleted) data in the store.</summary>
    IAsyncEnumerable<string> ListDomainUsersAsync(string domain, CancellationToken cancellationToken);

    Task<DomainDeletion> DeleteDomainDataAsync(string domain, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes to the changes of one mailbox (by <see cref="MailboxStatus.Id"/>), made by any
    /// replica; the subscription is active when the task completes. Delivery is best effort (Redis
    /// pub/sub): a session should still re-read the mailbox state now and then.
    /// </summary>
    Task<Redis.MailboxWatch> WatchAsync(string user, string mailboxId, CancellationToken cancellationToken);
}
