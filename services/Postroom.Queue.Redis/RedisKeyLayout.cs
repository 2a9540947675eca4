using System.Globalization;
using System.IO.Hashing;
using System.Text;
using StackExchange.Redis;

namespace Postroom.Queue;

/// <summary>
/// The queue's keys. Every partition's keys share the hash tag <c>{pN}</c>, so each script
/// touches one Redis Cluster slot:
/// <list type="bullet">
/// <item><c>&lt;prefix&gt;:{pN}:e:&lt;id&gt;</c> hash: the entry (envelope, recipients, states).</item>
/// <item><c>&lt;prefix&gt;:{pN}:due</c> zset: entries not leased, scored by next attempt (Unix ms).</item>
/// <item><c>&lt;prefix&gt;:{pN}:leased</c> zset: leased entries, scored by lease expiry (Unix ms).</item>
/// <item><c>&lt;prefix&gt;:{pN}:tokens</c> hash: id to current lease token.</item>
/// <item><c>&lt;prefix&gt;:{pN}:leases</c> hash: id to number of leases so far.</item>
/// <item><c>&lt;prefix&gt;:{pN}:index</c> zset: every entry, score 0, for listing in id (= age) order.</item>
/// <item><c>&lt;prefix&gt;:{pN}:flushed</c> hash: id to time of the last flush.</item>
/// <item><c>&lt;prefix&gt;:meta</c> hash: the partition count the data was written with.</item>
/// </list>
/// An entry's partition is XxHash32 of its id modulo the partition count.
/// </summary>
internal sealed class RedisKeyLayout
{
    private readonly PartitionKeys[] _partitions;

    public RedisKeyLayout(string prefix, int partitionCount)
    {
        Prefix = prefix;
        Meta = prefix + ":meta";
        _partitions = new PartitionKeys[partitionCount];
        for (var p = 0; p < partitionCount; p++)
        {
            _partitions[p] = new PartitionKeys(p, string.Create(CultureInfo.InvariantCulture, $"{prefix}:{{p{p}}}:"));
        }
    }

    public string Prefix { get; }

    public RedisKey Meta { get; }

    public int PartitionCount => _partitions.Length;

    public PartitionKeys Partition(int partition) => _partitions[partition];

    public PartitionKeys PartitionOf(QueueId id)
    {
        if (_partitions.Length == 1)
        {
            return _partitions[0];
        }

        var hash = XxHash32.HashToUInt32(Encoding.ASCII.GetBytes(id.Value));
        return _partitions[(int)(hash % (uint)_partitions.Length)];
    }
}

/// <summary>The keys of one partition.</summary>
internal sealed class PartitionKeys
{
    private readonly string _base;

    public PartitionKeys(int number, string keyBase)
    {
        Number = number;
        _base = keyBase;
        Due = keyBase + "due";
        Leased = keyBase + "leased";
        Tokens = keyBase + "tokens";
        LeaseCounts = keyBase + "leases";
        Index = keyBase + "index";
        Flushed = keyBase + "flushed";
    }

    public int Number { get; }

    public RedisKey Due { get; }

    public RedisKey Leased { get; }

    public RedisKey Tokens { get; }

    public RedisKey LeaseCounts { get; }

    public RedisKey Index { get; }

    public RedisKey Flushed { get; }

    public RedisKey Entry(QueueId id) => _base + "e:" + id.Value;
}
