using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace Postroom.Queue;

/// <summary>
/// <see cref="IMailQueue"/> on Redis 7 or Garnet (or anything speaking RESP with sorted sets,
/// hashes and Lua; no Stream commands are used). Works on Redis Cluster: every script declares
/// all its keys in KEYS and they share one partition's hash tag.
/// </summary>
/// <remarks>
/// <para>
/// Layout: see <see cref="RedisKeyLayout"/>; scripts: <c>Redis/Scripts/*.lua</c>. An entry is a
/// hash; a partition has a "due" sorted set (not leased, scored by next attempt) and a "leased"
/// sorted set (scored by lease expiry). Leasing atomically moves due entries, and entries whose
/// lease expired, to "leased" with a fresh token; completing checks the token (fencing) and
/// either deletes the entry or moves it back to "due".
/// </para>
/// <para>
/// "Now" comes from the <see cref="TimeProvider"/> of the calling process, so workers' clocks
/// should be synchronised (NTP); a skew shifts when entries and expired leases become due.
/// </para>
/// <para>
/// Durability: see <see cref="RedisMailQueueOptions"/> and <c>DURABILITY.md</c>. Every
/// enqueue and completion is one script, so it is applied entirely or not at all.
/// </para>
/// </remarks>
public sealed class RedisMailQueue : IMailQueue
{
    private const int ListPageSize = 100;
    private const int FlushBatchSize = 1000;

    private readonly IConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly RedisMailQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly RedisKeyLayout _layout;
    private readonly IDurabilityBarrier? _durability;
    private volatile bool _layoutChecked;

    /// <summary>Creates a queue over <paramref name="redis"/>, which the caller keeps owning.</summary>
    /// <param name="redis">The connection for queue operations.</param>
    /// <param name="options">Key prefix, partitions, lifetime, replica waits.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="durability">For a store that acknowledges before committing (Garnet in group-commit mode):
    /// awaited after every write, before the call returns.</param>
    public RedisMailQueue(IConnectionMultiplexer redis, RedisMailQueueOptions? options = null, TimeProvider? timeProvider = null, IDurabilityBarrier? durability = null)
    {
        _durability = durability;
        ArgumentNullException.ThrowIfNull(redis);
        _options = options ?? new RedisMailQueueOptions();
        _options.Validate();
        _redis = redis;
        _db = redis.GetDatabase(_options.Database);
        _time = timeProvider ?? TimeProvider.System;
        _layout = new RedisKeyLayout(_options.KeyPrefix, _options.PartitionCount);
    }

    /// <inheritdoc />
    public async Task<QueueId> EnqueueAsync(NewQueueEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Envelope);
        ArgumentNullException.ThrowIfNull(entry.Envelope.Sender);
        ArgumentNullException.ThrowIfNull(entry.Recipients);
        if (entry.Recipients.Count == 0)
        {
            throw new ArgumentException("A queue entry needs at least one recipient.", nameof(entry));
        }

        var lifetime = entry.Lifetime ?? _options.DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, nameof(entry));
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureLayoutAsync().ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var id = entry.Id ?? QueueId.New(now);
        if (id.Value.Length == 0)
        {
            throw new ArgumentException("The entry's id is default(QueueId).", nameof(entry));
        }

        var dueAt = entry.NotBefore ?? now;
        var initial = new RecipientState(RecipientStatus.Scheduled, 0, dueAt, null);
        var snapshot = new QueueEntry
        {
            Id = id,
            Envelope = entry.Envelope,
            Recipients = entry.Recipients.Select((r, i) => new QueueEntryRecipient(i, r ?? throw new ArgumentException("A recipient is null.", nameof(entry)), initial)).ToArray(),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            LeaseCount = 0,
            NextAttemptAt = dueAt,
        };

        var p = _layout.PartitionOf(id);
        var entryKey = p.Entry(id);
        await _db.ScriptEvaluateAsync(
            QueueScripts.Enqueue,
            [entryKey, p.Due, p.Index],
            EntryCodec.EncodeNew(id, dueAt, snapshot)).ConfigureAwait(false);
        await EnsureDurableAsync(entryKey).ConfigureAwait(false);
        return id;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueueLease>> LeaseAsync(int max, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(visibilityTimeout, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureLayoutAsync().ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(EntryCodec.Ms(now + visibilityTimeout));
        var tokenPrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var claims = new List<(PartitionKeys Partition, QueueId Id, string Token, int Count)>();

        // Walk the partitions from a random start so workers spread over them.
        var start = _layout.PartitionCount == 1 ? 0 : Random.Shared.Next(_layout.PartitionCount);
        for (var i = 0; i < _layout.PartitionCount && claims.Count < max; i++)
        {
            var p = _layout.Partition((start + i) % _layout.PartitionCount);
            var result = await _db.ScriptEvaluateAsync(
                QueueScripts.Lease,
                [p.Due, p.Leased, p.Tokens, p.LeaseCounts],
                [EntryCodec.Ms(now), max - claims.Count, EntryCodec.Ms(expiresAt), tokenPrefix + "-" + p.Number.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
            var flat = (RedisResult[])result!;
            for (var j = 0; j + 2 < flat.Length; j += 3)
            {
                claims.Add((p, QueueId.Parse((string)flat[j]!), (string)flat[j + 1]!, (int)(long)flat[j + 2]));
            }
        }

        if (claims.Count == 0)
        {
            return [];
        }

        // The claims are exclusive; now read the entries (only a concurrent delete can change them).
        var entries = await Task.WhenAll(claims.Select(c => ReadAsync(c.Partition, c.Id))).ConfigureAwait(false);
        var leases = new List<QueueLease>(claims.Count);
        for (var i = 0; i < claims.Count; i++)
        {
            if (entries[i] is { } entry)
            {
                leases.Add(new QueueLease(entry with { LeaseCount = claims[i].Count, LeaseExpiresAt = expiresAt, NextAttemptAt = null }, claims[i].Token, expiresAt));
            }
            else
            {
                // Deleted since the claim (the delete already cleaned up), or an id without an
                // entry hash: purge it so it cannot come back after every lease expiry.
                await RemoveAsync(claims[i].Partition, claims[i].Id).ConfigureAwait(false);
            }
        }

        return leases;
    }

    /// <inheritdoc />
    public async Task<bool> RenewLeaseAsync(QueueLease lease, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(visibilityTimeout, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();

        var p = _layout.PartitionOf(lease.Id);
        var expiresAt = _time.GetUtcNow() + visibilityTimeout;
        var result = await _db.ScriptEvaluateAsync(
            QueueScripts.Renew,
            [p.Leased, p.Tokens],
            [lease.Id.Value, lease.Token, EntryCodec.Ms(expiresAt)]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async Task<CompletionResult> CompleteAsync(QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var updated = CompletionPlanner.Apply(lease.Entry, outcomes);
        cancellationToken.ThrowIfCancellationRequested();

        var p = _layout.PartitionOf(lease.Id);
        var entryKey = p.Entry(lease.Id);
        var finished = updated.NextAttemptAt is null;
        var args = new List<RedisValue>(3 + (updated.Recipients.Count * 2))
        {
            lease.Id.Value,
            lease.Token,
            finished ? RedisValue.EmptyString : EntryCodec.Ms(updated.NextAttemptAt!.Value),
        };
        if (!finished)
        {
            args.AddRange(EntryCodec.EncodeStates(updated));
        }

        var result = (long)await _db.ScriptEvaluateAsync(
            QueueScripts.Complete,
            [entryKey, p.Due, p.Leased, p.Tokens, p.LeaseCounts, p.Index, p.Flushed],
            [.. args]).ConfigureAwait(false);
        if (result == 0)
        {
            return new CompletionResult(CompletionStatus.LeaseLost, null);
        }

        await EnsureDurableAsync(entryKey).ConfigureAwait(false);
        return result == 2
            ? new CompletionResult(CompletionStatus.Finished, updated)
            : new CompletionResult(CompletionStatus.Rescheduled, updated);
    }

    /// <inheritdoc />
    public Task<QueueEntry?> GetAsync(QueueId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync(_layout.PartitionOf(id), id);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<QueueEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var n = 0; n < _layout.PartitionCount; n++)
        {
            var p = _layout.Partition(n);
            RedisValue after = default;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Page through the index by id: stable while entries come and go.
                var page = after.IsNull
                    ? await _db.SortedSetRangeByValueAsync(p.Index, default, default, Exclude.None, Order.Ascending, 0, ListPageSize).ConfigureAwait(false)
                    : await _db.SortedSetRangeByValueAsync(p.Index, after, default, Exclude.Start, Order.Ascending, 0, ListPageSize).ConfigureAwait(false);
                if (page.Length == 0)
                {
                    break;
                }

                var entries = await Task.WhenAll(page.Select(v => ReadAsync(p, QueueId.Parse((string)v!)))).ConfigureAwait(false);
                foreach (var entry in entries)
                {
                    if (entry is not null)
                    {
                        yield return entry;
                    }
                }

                if (page.Length < ListPageSize)
                {
                    break;
                }

                after = page[^1];
            }
        }
    }

    /// <inheritdoc />
    public async Task<long> FlushAsync(CancellationToken cancellationToken = default)
    {
        var now = EntryCodec.Ms(_time.GetUtcNow());
        long total = 0;
        for (var n = 0; n < _layout.PartitionCount; n++)
        {
            var p = _layout.Partition(n);
            long moved;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                moved = (long)await _db.ScriptEvaluateAsync(QueueScripts.Flush, [p.Due, p.Flushed], [now, FlushBatchSize]).ConfigureAwait(false);
                total += moved;
            }
            while (moved == FlushBatchSize);
        }

        return total;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(QueueId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var p = _layout.PartitionOf(id);
        var existed = await RemoveAsync(p, id).ConfigureAwait(false);
        if (existed)
        {
            await EnsureDurableAsync(p.Entry(id)).ConfigureAwait(false);
        }

        return existed;
    }

    /// <inheritdoc />
    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var nowMs = EntryCodec.Ms(now);
        long scheduled = 0, due = 0, leased = 0;
        QueueId? oldest = null;
        for (var n = 0; n < _layout.PartitionCount; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var p = _layout.Partition(n);
            var batch = _db.CreateBatch();
            var dueNow = batch.SortedSetLengthAsync(p.Due, double.NegativeInfinity, nowMs);
            var later = batch.SortedSetLengthAsync(p.Due, nowMs, double.PositiveInfinity, Exclude.Start);
            var expired = batch.SortedSetLengthAsync(p.Leased, double.NegativeInfinity, nowMs);
            var live = batch.SortedSetLengthAsync(p.Leased, nowMs, double.PositiveInfinity, Exclude.Start);
            var first = batch.SortedSetRangeByRankAsync(p.Index, 0, 0);
            batch.Execute();
            scheduled += await later.ConfigureAwait(false);
            due += await dueNow.ConfigureAwait(false) + await expired.ConfigureAwait(false);
            leased += await live.ConfigureAwait(false);
            var head = await first.ConfigureAwait(false);
            if (head.Length == 1 && QueueId.TryParse((string?)head[0], out var id) && (oldest is null || id < oldest.Value))
            {
                oldest = id;
            }
        }

        TimeSpan? age = oldest is { } o ? (now - o.Timestamp) switch { var a when a < TimeSpan.Zero => TimeSpan.Zero, var a => a } : null;
        return new QueueStats(scheduled, due, leased, age);
    }

    private async Task<bool> RemoveAsync(PartitionKeys p, QueueId id) =>
        (long)await _db.ScriptEvaluateAsync(
            QueueScripts.Delete,
            [p.Entry(id), p.Due, p.Leased, p.Tokens, p.LeaseCounts, p.Index, p.Flushed],
            [id.Value]).ConfigureAwait(false) == 1;

    private async Task<QueueEntry?> ReadAsync(PartitionKeys p, QueueId id)
    {
        var result = await _db.ScriptEvaluateAsync(
            QueueScripts.Read,
            [p.Entry(id), p.Due, p.Leased, p.LeaseCounts, p.Flushed],
            [id.Value]).ConfigureAwait(false);
        return EntryCodec.Decode(id, result);
    }

    /// <summary>
    /// Records the partition count on first use and refuses to run against data written with a
    /// different one (entries would be looked up in the wrong partition).
    /// </summary>
    private async Task EnsureLayoutAsync()
    {
        if (_layoutChecked)
        {
            return;
        }

        var count = _layout.PartitionCount.ToString(CultureInfo.InvariantCulture);
        await _db.HashSetAsync(_layout.Meta, "partitions", count, When.NotExists).ConfigureAwait(false);
        var stored = (string?)await _db.HashGetAsync(_layout.Meta, "partitions").ConfigureAwait(false);
        if (!string.Equals(stored, count, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The queue at '{_layout.Prefix}' was written with {stored} partition(s) but is configured with {count}; drain it before changing the partition count.");
        }

        _layoutChecked = true;
    }

    /// <summary>
    /// Waits for the durability barrier, if any, and with <see cref="RedisMailQueueOptions.WaitForReplicas"/> set,
    /// until that many replicas have the connection's writes. It runs after the write has happened, so it
    /// takes no cancellation: the caller must not report a write it cannot vouch for.
    /// </summary>
    private async Task EnsureDurableAsync(RedisKey routeKey)
    {
        if (_durability is not null)
        {
            await _durability.WaitDurableAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var replicas = _options.WaitForReplicas;
        if (replicas <= 0)
        {
            return;
        }

        // WAIT applies to the connection that did the write: the interactive connection to the
        // server (in a cluster, the shard) that owns the key.
        var endpoint = await _db.IdentifyEndpointAsync(routeKey).ConfigureAwait(false)
            ?? throw new QueueDurabilityException("No server owns the queue key; cannot WAIT for replicas.");
        var server = _redis.GetServer(endpoint);
        var acknowledged = (long)await server.ExecuteAsync("WAIT", replicas, (long)_options.WaitTimeout.TotalMilliseconds).ConfigureAwait(false);
        if (acknowledged < replicas)
        {
            throw new QueueDurabilityException(
                $"Only {acknowledged} of {replicas} replica(s) acknowledged the write within {_options.WaitTimeout.TotalMilliseconds} ms.");
        }
    }
}
