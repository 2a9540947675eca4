using System.Globalization;
using Postroom.Storage;
using StackExchange.Redis;

namespace Postroom.Mailbox.Redis;

/// <summary>
/// <see cref="IMailboxStore"/> on Redis 7 or Garnet: the index in Redis (layout:
/// <see cref="MailboxKeys"/>), bodies in an <see cref="IBlobStore"/>, referenced by key.
/// </summary>
/// <remarks>
/// <para>
/// Atomicity: every change of a user's index is one Lua script (<c>Redis/Scripts/*.lua</c>) that
/// declares all its keys, which share the user's hash tag, so it works on Redis Cluster and on
/// Garnet in Lua transaction mode. A mailbox is addressed by a random id; the caller looks the name
/// up, and the script checks that the name still maps to that id (else the caller looks up again),
/// so a concurrent RENAME or DELETE is never half-seen.
/// </para>
/// <para>
/// Bodies: each blob has a reference count in its own slot (<c>ref.lua</c>), so changing it is a
/// separate step from the user's script. The order never deletes a referenced body: the count is
/// raised before a mailbox entry is written (append, copy) and lowered after entries are removed
/// (expunge, delete, purge). A crash in between leaves the count too high (the body is kept too
/// long), never too low. When a release reaches zero the count becomes a tombstone (an add then
/// fails), the body is deleted, then the tombstone.
/// </para>
/// <para>
/// Notifications: after a script, the change is published on the mailbox's channel
/// (<see cref="WatchAsync"/>). A crash between the script and the publish loses the notification,
/// so IDLE sessions should still poll now and then.
/// </para>
/// </remarks>
public sealed partial class RedisMailboxStore : IMailboxStore
{
    private const int MaxAttempts = 8;

    private readonly IConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly IBlobStore _blobs;
    private readonly RedisMailboxStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly MailboxKeys _keys;

    /// <summary>Creates a store over <paramref name="redis"/> and <paramref name="blobs"/>, which the caller keeps owning.</summary>
    public RedisMailboxStore(IConnectionMultiplexer redis, IBlobStore blobs, RedisMailboxStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(blobs);
        _options = options ?? new RedisMailboxStoreOptions();
        _options.Validate();
        _redis = redis;
        _db = redis.GetDatabase(_options.Database);
        _blobs = blobs;
        _time = timeProvider ?? TimeProvider.System;
        _keys = new MailboxKeys(_options.KeyPrefix);
    }

    /// <inheritdoc />
    public async Task<MailboxStatus> CreateMailboxAsync(string user, string mailbox, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(mailbox);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInboxAsync(user, k).ConfigureAwait(false);

        // RFC 3501 section 6.3.3: create the superior names that are missing.
        foreach (var parent in MailboxNames.Parents(name))
        {
            await CreateCoreAsync(user, k, parent).ConfigureAwait(false);
        }

        var (created, _) = await CreateCoreAsync(user, k, name).ConfigureAwait(false);
        if (!created)
        {
            throw new MailboxAlreadyExistsException($"Mailbox '{name}' exists.");
        }

        return await GetMailboxStatusAsync(user, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteMailboxAsync(string user, string mailbox, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(mailbox);
        if (name == MailboxNames.Inbox)
        {
            throw new MailboxException("INBOX cannot be deleted.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var id = await LookupAsync(k, name).ConfigureAwait(false) ?? throw NotFound(name);
            var box = k.Box(id);
            var result = Ints(await _db.ScriptEvaluateAsync(MailboxScripts.Delete, [k.User, k.Boxes, box.State, k.Dead], [name, id]).ConfigureAwait(false));
            if (result[0] == 1)
            {
                // The name is free now; the messages go in batches (resumed later after a crash).
                await PurgeAsync(k, id).ConfigureAwait(false);
                return;
            }
        }

        throw Contended(name);
    }

    /// <inheritdoc />
    public async Task RenameMailboxAsync(string user, string mailbox, string newName, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        var source = MailboxNames.Normalize(mailbox);
        var target = MailboxNames.Normalize(newName);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInboxAsync(user, k).ConfigureAwait(false);
        if (source == target || target == MailboxNames.Inbox)
        {
            throw new MailboxAlreadyExistsException($"Mailbox '{target}' exists.");
        }

        if (target.StartsWith(source + MailboxNames.Delimiter, StringComparison.Ordinal))
        {
            throw new MailboxException("A mailbox cannot be renamed below itself.");
        }

        foreach (var parent in MailboxNames.Parents(target))
        {
            await CreateCoreAsync(user, k, parent).ConfigureAwait(false);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            int result;
            if (source == MailboxNames.Inbox)
            {
                // RFC 3501 section 6.3.5: INBOX's messages move to the new name, INBOX stays (empty),
                // INBOX's children are not renamed. The mailbox (id, UIDVALIDITY) takes the new name
                // and a fresh INBOX is created, all in one script.
                var inboxId = await LookupAsync(k, MailboxNames.Inbox).ConfigureAwait(false) ?? throw NotFound(source);
                var newId = NewId();
                result = (int)Ints(await _db.ScriptEvaluateAsync(
                    MailboxScripts.Rename,
                    [k.User, k.Boxes, k.Box(inboxId).State, k.Box(newId).State],
                    ["inbox", inboxId, target, RoleName(MailboxNames.RoleOf(target)), newId, NowSeconds()]).ConfigureAwait(false))[0];
            }
            else
            {
                var all = await _db.HashGetAllAsync(k.Boxes).ConfigureAwait(false);
                var renames = all
                    .Select(e => ((string)e.Name!, (string)e.Value!))
                    .Where(e => e.Item1 == source || e.Item1.StartsWith(source + MailboxNames.Delimiter, StringComparison.Ordinal))
                    .Select(e => (Old: e.Item1, New: target + e.Item1[source.Length..], Id: e.Item2))
                    .ToList();
                if (!renames.Any(r => r.Old == source))
                {
                    throw NotFound(source);
                }

                var keys = new List<RedisKey> { k.User, k.Boxes };
                var args = new List<RedisValue> { "tree", renames.Count };
                foreach (var r in renames)
                {
                    keys.Add(k.Box(r.Id).State);
                    args.AddRange([r.Old, r.New, r.Id, RoleName(MailboxNames.RoleOf(r.New))]);
                }

                result = (int)Ints(await _db.ScriptEvaluateAsync(MailboxScripts.Rename, [.. keys], [.. args]).ConfigureAwait(false))[0];
            }

            if (result == 1)
            {
                return;
            }

            if (result == -2)
            {
                throw new MailboxAlreadyExistsException($"Mailbox '{target}' exists.");
            }
        }

        throw Contended(source);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MailboxInfo>> ListMailboxesAsync(string user, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInboxAsync(user, k).ConfigureAwait(false);
        var boxes = await _db.HashGetAllAsync(k.Boxes).ConfigureAwait(false);
        var subscribed = (await _db.SetMembersAsync(k.Subscriptions).ConfigureAwait(false)).Select(v => (string)v!).ToHashSet(StringComparer.Ordinal);
        var states = await Task.WhenAll(boxes.Select(b => _db.HashGetAsync(k.Box((string)b.Value!).State, ["messages", "size"]))).ConfigureAwait(false);
        return
        [
            .. boxes.Select((b, i) =>
            {
                var name = (string)b.Name!;
                return new MailboxInfo(name, (string)b.Value!, MailboxNames.RoleOf(name), subscribed.Contains(name), (uint)(long)states[i][0], (long)states[i][1]);
            })
            .OrderBy(m => m.Name == MailboxNames.Inbox ? 0 : 1)
            .ThenBy(m => m.Name, StringComparer.Ordinal),
        ];
    }

    /// <inheritdoc />
    public Task SubscribeAsync(string user, string mailbox, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(mailbox);
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SetAddAsync(k.Subscriptions, name);
    }

    /// <inheritdoc />
    public Task UnsubscribeAsync(string user, string mailbox, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(mailbox);
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SetRemoveAsync(k.Subscriptions, name);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListSubscriptionsAsync(string user, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        cancellationToken.ThrowIfCancellationRequested();
        var members = await _db.SetMembersAsync(k.Subscriptions).ConfigureAwait(false);
        return [.. members.Select(m => (string)m!).Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<MailboxStatus> GetMailboxStatusAsync(string user, string mailbox, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(mailbox);
        cancellationToken.ThrowIfCancellationRequested();
        var (id, result) = await RunAsync(user, k, name, id =>
        {
            var box = k.Box(id);
            return _db.ScriptEvaluateAsync(MailboxScripts.Status, [k.Boxes, box.State, box.Uids], [name, id]);
        }).ConfigureAwait(false);
        var v = (RedisResult[])result!;
        return new MailboxStatus(
            name,
            id,
            MailboxNames.RoleOf(name),
            Messages: (uint)(long)v[5],
            Recent: (uint)(long)v[8],
            UidNext: (uint)(long)v[3],
            UidValidity: (uint)(long)v[2],
            Unseen: (uint)(long)v[6],
            HighestModSeq: (ulong)(long)v[4],
            Size: (long)v[7]);
    }

    /// <inheritdoc />
    public async Task<uint> ClaimRecentAsync(string user, string mailbox, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(mailbox);
        cancellationToken.ThrowIfCancellationRequested();
        var (_, result) = await RunAsync(user, k, name, id =>
        {
            var box = k.Box(id);
            return _db.ScriptEvaluateAsync(MailboxScripts.ClaimRecent, [k.Boxes, box.State, box.Uids], [name, id]);
        }).ConfigureAwait(false);
        return (uint)Ints(result)[1];
    }

    /// <inheritdoc />
    public async Task<MailboxUsage> GetUsageAsync(string user, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        cancellationToken.ThrowIfCancellationRequested();
        var v = await _db.HashGetAsync(k.User, ["bytes", "messages"]).ConfigureAwait(false);
        return new MailboxUsage(v[0].IsNull ? 0 : (long)v[0], v[1].IsNull ? 0 : (long)v[1]);
    }

    /// <summary>
    /// Looks the mailbox up (creating INBOX or a special-use mailbox on first use), runs a script
    /// that answers -1 when the name no longer maps to the id, and looks up again in that case.
    /// </summary>
    private async Task<(string Id, RedisResult Result)> RunAsync(string user, UserKeys k, string name, Func<string, Task<RedisResult>> script)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var id = await ResolveAsync(user, k, name).ConfigureAwait(false);
            var result = await script(id).ConfigureAwait(false);
            if (!IsGone(result))
            {
                return (id, result);
            }
        }

        throw Contended(name);
    }

    private async Task<string> ResolveAsync(string user, UserKeys k, string name)
    {
        if (await LookupAsync(k, name).ConfigureAwait(false) is { } id)
        {
            return id;
        }

        if (MailboxNames.RoleOf(name) == SpecialUse.None)
        {
            throw NotFound(name);
        }

        return (await CreateCoreAsync(user, k, name).ConfigureAwait(false)).Id;
    }

    private async Task<string?> LookupAsync(UserKeys k, string name)
    {
        var id = await _db.HashGetAsync(k.Boxes, name).ConfigureAwait(false);
        return id.IsNull ? null : (string)id!;
    }

    private async Task EnsureInboxAsync(string user, UserKeys k)
    {
        if (!await _db.HashExistsAsync(k.Boxes, MailboxNames.Inbox).ConfigureAwait(false))
        {
            await CreateCoreAsync(user, k, MailboxNames.Inbox).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the mailbox unless the name exists; returns whether it was created, and its id.</summary>
    private async Task<(bool Created, string Id)> CreateCoreAsync(string user, UserKeys k, string name)
    {
        // Registered before any data exists, so deleting the domain's data never misses this user.
        await RegisterDomainUserAsync(user).ConfigureAwait(false);
        var id = NewId();
        var result = (RedisResult[])(await _db.ScriptEvaluateAsync(
            MailboxScripts.Create,
            [k.User, k.Boxes, k.Box(id).State],
            [name, id, RoleName(MailboxNames.RoleOf(name)), NowSeconds()]).ConfigureAwait(false))!;
        return ((long)result[0] == 1, (string)result[1]!);
    }

    private Task RegisterDomainUserAsync(string user)
    {
        var at = user.LastIndexOf('@');
        return at < 0 ? Task.CompletedTask : _db.SetAddAsync(_keys.DomainUsers(DomainOf(user)), user);
    }

    private static string DomainOf(string user) => user[(user.LastIndexOf('@') + 1)..].ToLowerInvariant();

    private UserKeys UserKeysOf(string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        if (user.Length > 320 || user.Any(c => c <= ' ' || c is '{' or '}' || char.IsControl(c)))
        {
            // The user is the hash tag: braces would change which part of the key is hashed.
            throw new ArgumentException($"'{user}' is not a valid user address.", nameof(user));
        }

        return _keys.User(user);
    }

    private long NowSeconds() => _time.GetUtcNow().ToUnixTimeSeconds();

    private static string NewId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 8));

    private static string RoleName(SpecialUse role) => role == SpecialUse.None ? "" : role.ToString();

    private static bool IsGone(RedisResult result) =>
        result.Resp2Type == ResultType.Array && ((RedisResult[])result!) is [var first, ..] && first.Resp2Type == ResultType.Integer && (long)first == -1;

    private static long[] Ints(RedisResult result) =>
        result.Resp2Type == ResultType.Array ? [.. ((RedisResult[])result!).Select(r => (long)r)] : [(long)result];

    private static MailboxNotFoundException NotFound(string name) => new($"Mailbox '{name}' does not exist.");

    private static MailboxException Contended(string name) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Mailbox '{name}' kept changing during {MaxAttempts} attempts; try again."));
}
