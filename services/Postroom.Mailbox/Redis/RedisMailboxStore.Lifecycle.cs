using System.Globalization;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Postroom.Mailbox.Redis;

/// <summary>Body references, purges, user and domain deletion, change notifications.</summary>
public sealed partial class RedisMailboxStore
{
    /// <inheritdoc />
    public async Task<long> DeleteUserDataAsync(string user, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        cancellationToken.ThrowIfCancellationRequested();
        await _db.ScriptEvaluateAsync(MailboxScripts.DeleteUser, [k.User, k.Boxes, k.Subscriptions, k.Dead]).ConfigureAwait(false);

        // Every mailbox is in the dead set now (with any left over from an interrupted delete).
        long messages = 0;
        foreach (var id in await _db.SetMembersAsync(k.Dead).ConfigureAwait(false))
        {
            messages += await PurgeAsync(k, (string)id!).ConfigureAwait(false);
        }

        // Idempotency keys are not enumerable without SCAN; they expire with their TTL.
        if (user.Contains('@', StringComparison.Ordinal))
        {
            await _db.SetRemoveAsync(_keys.DomainUsers(DomainOf(user)), user).ConfigureAwait(false);
        }

        return messages;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListDomainUsersAsync(string domain, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = DomainKey(domain);
        await foreach (var member in _db.SetScanAsync(key, pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return (string)member!;
        }
    }

    /// <inheritdoc />
    public async Task<DomainDeletion> DeleteDomainDataAsync(string domain, CancellationToken cancellationToken)
    {
        var key = DomainKey(domain);
        var users = 0;
        long messages = 0;
        while (true)
        {
            // Repeatedly take a batch: deleting a user removes it from the set.
            var batch = await _db.SetRandomMembersAsync(key, 100).ConfigureAwait(false);
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var user in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                messages += await DeleteUserDataAsync((string)user!, cancellationToken).ConfigureAwait(false);
                users++;
            }
        }

        return new DomainDeletion(users, messages);
    }

    /// <inheritdoc />
    public async Task<MailboxWatch> WatchAsync(string user, string mailboxId, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        ArgumentException.ThrowIfNullOrEmpty(mailboxId);
        cancellationToken.ThrowIfCancellationRequested();
        var queue = await _redis.GetSubscriber().SubscribeAsync(k.Events(mailboxId)).ConfigureAwait(false);
        return new MailboxWatch(queue, mailboxId);
    }

    /// <summary>The current reference count of a body (0 when none or being deleted); for tests and tools.</summary>
    public async Task<long> GetReferenceCountAsync(string blobKey)
    {
        var value = await _db.StringGetAsync(_keys.Reference(blobKey)).ConfigureAwait(false);
        return value.IsNull || !value.TryParse(out long count) ? 0 : count;
    }

    private RedisKey DomainKey(string domain)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        if (domain.Any(c => c <= ' ' || c is '{' or '}'))
        {
            throw new ArgumentException($"'{domain}' is not a valid domain.", nameof(domain));
        }

        return _keys.DomainUsers(domain.ToLowerInvariant());
    }

    /// <summary>Removes an unlinked mailbox's messages in batches, releasing their bodies; returns how many.</summary>
    private async Task<long> PurgeAsync(UserKeys k, string id)
    {
        var box = k.Box(id);
        long removed = 0;
        while (true)
        {
            var v = (RedisResult[])(await _db.ScriptEvaluateAsync(
                MailboxScripts.Purge,
                [box.State, box.Uids, box.Flags, box.Records, box.Deleted, k.Dead],
                [id, _options.BatchSize]).ConfigureAwait(false))!;
            var blobs = v.Skip(1).Select(r => (string)r!).ToList();
            removed += blobs.Count;
            await ReleaseReferencesAsync(blobs).ConfigureAwait(false);
            if ((long)v[0] == 1)
            {
                return removed;
            }
        }
    }

    /// <summary>Lowers the counts of bodies whose entries were removed; deletes bodies that reach zero.</summary>
    private async Task ReleaseReferencesAsync(IEnumerable<string> blobKeys)
    {
        foreach (var group in blobKeys.GroupBy(b => b, StringComparer.Ordinal))
        {
            var key = _keys.Reference(group.Key);
            var count = (long)await _db.ScriptEvaluateAsync(MailboxScripts.Reference, [key], ["release", group.Count()]).ConfigureAwait(false);
            if (count != 0)
            {
                continue;
            }

            // The count is a tombstone now, so no new reference can appear while the body goes.
            // The entries are already gone: finish even if the caller gave up.
            await _blobs.DeleteAsync(group.Key, CancellationToken.None).ConfigureAwait(false);
            await _db.ScriptEvaluateAsync(MailboxScripts.Reference, [key], ["clear", 0]).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back references taken for entries that were never written (bodies are kept).</summary>
    private async Task UndoReferencesAsync(IReadOnlyDictionary<string, int> counts)
    {
        foreach (var (blobKey, count) in counts)
        {
            await _db.ScriptEvaluateAsync(MailboxScripts.Reference, [_keys.Reference(blobKey)], ["undo", count]).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(UserKeys k, MailboxChange change)
    {
        var kind = change.Kind switch
        {
            MailboxChangeKind.Exists => "E",
            MailboxChangeKind.Expunge => "X",
            _ => "F",
        };
        var payload = string.Create(CultureInfo.InvariantCulture, $"{kind} {change.ModSeq} {string.Join(',', change.Uids)}");
        await _db.PublishAsync(k.Events(change.MailboxId), payload).ConfigureAwait(false);
    }
}
