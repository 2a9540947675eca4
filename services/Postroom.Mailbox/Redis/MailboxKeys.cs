using StackExchange.Redis;

namespace Postroom.Mailbox.Redis;

/// <summary>
/// The store's keys. All keys of one user share the hash tag <c>{user}</c>, so every script
/// touches one Redis Cluster slot:
/// <list type="bullet">
/// <item><c>P:{u}:user</c> hash: lastvalidity, bytes, messages (quota usage).</item>
/// <item><c>P:{u}:boxes</c> hash: mailbox name → mailbox id (random, so a rename is one field).</item>
/// <item><c>P:{u}:subs</c> set: subscribed names.</item>
/// <item><c>P:{u}:dead</c> set: ids of unlinked mailboxes whose messages are still being purged.</item>
/// <item><c>P:{u}:b:&lt;id&gt;</c> hash: name, role, uidvalidity, uidnext, modseq (HIGHESTMODSEQ),
/// messages, unseen, size, recentfrom.</item>
/// <item><c>P:{u}:b:&lt;id&gt;:uids</c> zset: UIDs (member and score), for paging by UID range.</item>
/// <item><c>P:{u}:b:&lt;id&gt;:f</c> hash: UID → "&lt;modseq&gt; &lt;flags&gt;" (small, rewritten by STORE).</item>
/// <item><c>P:{u}:b:&lt;id&gt;:m</c> hash: UID → record (immutable: size, blob key, details; see <see cref="MessageRecord"/>).</item>
/// <item><c>P:{u}:b:&lt;id&gt;:del</c> zset: UIDs flagged \Deleted (EXPUNGE reads only these).</item>
/// <item><c>P:{u}:idem:&lt;key&gt;</c> string "uidvalidity:uid" with a TTL: an append's idempotency key.</item>
/// </list>
/// Outside the user's slot: <c>P:ref:{&lt;blob key&gt;}</c> (a body's reference count) and
/// <c>P:domain:{&lt;domain&gt;}:users</c> (users of a domain with data). Change notifications go to
/// the channel <c>P:{u}:events:&lt;id&gt;</c>. P is the key prefix, <c>postroom:mbx</c> by default.
/// </summary>
internal sealed class MailboxKeys
{
    private readonly string _prefix;

    public MailboxKeys(string prefix) => _prefix = prefix;

    public UserKeys User(string user) => new(_prefix + ":{" + user + "}:");

    public RedisKey Reference(string blobKey) => _prefix + ":ref:{" + blobKey + "}";

    public RedisKey DomainUsers(string domain) => _prefix + ":domain:{" + domain + "}:users";
}

/// <summary>The keys of one user.</summary>
internal sealed class UserKeys
{
    private readonly string _base;

    public UserKeys(string keyBase)
    {
        _base = keyBase;
        User = keyBase + "user";
        Boxes = keyBase + "boxes";
        Subscriptions = keyBase + "subs";
        Dead = keyBase + "dead";
    }

    public RedisKey User { get; }

    public RedisKey Boxes { get; }

    public RedisKey Subscriptions { get; }

    public RedisKey Dead { get; }

    public RedisKey Idempotency(string key) => _base + "idem:" + key;

    public BoxKeys Box(string id) => new(_base + "b:" + id);

    public RedisChannel Events(string id) => RedisChannel.Literal(_base + "events:" + id);
}

/// <summary>The keys of one mailbox.</summary>
internal sealed class BoxKeys
{
    public BoxKeys(string keyBase)
    {
        State = keyBase;
        Uids = keyBase + ":uids";
        Flags = keyBase + ":f";
        Records = keyBase + ":m";
        Deleted = keyBase + ":del";
    }

    public RedisKey State { get; }

    public RedisKey Uids { get; }

    public RedisKey Flags { get; }

    public RedisKey Records { get; }

    public RedisKey Deleted { get; }
}
