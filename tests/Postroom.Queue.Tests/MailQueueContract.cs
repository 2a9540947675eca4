using System.Collections.Concurrent;
using Postroom.Testing;

namespace Postroom.Queue.Tests;

/// <summary>
/// The behaviour every <see cref="IMailQueue"/> backend must show. Subclasses supply the server;
/// each test works under its own key prefix, so tests share a server without seeing each other.
/// </summary>
public abstract class MailQueueContract
{
    private static readonly TimeSpan LongLease = TimeSpan.FromDays(30);

    private readonly IRedisFixture _backend;

    protected MailQueueContract(IRedisFixture backend) => _backend = backend;

    protected abstract int PartitionCount { get; }

    protected ManualTimeProvider Clock { get; } = new();

    protected string Prefix { get; } = "test:" + Guid.NewGuid().ToString("N");

    protected RedisMailQueue CreateQueue(TimeProvider? time = null, int? partitions = null, string? prefix = null) =>
        new(_backend.Connection, new RedisMailQueueOptions { KeyPrefix = prefix ?? Prefix, PartitionCount = partitions ?? PartitionCount }, time ?? Clock);

    protected static NewQueueEntry NewEntry(int recipients = 1, DateTimeOffset? notBefore = null, TimeSpan? lifetime = null, string sender = "alice@example.org") => new()
    {
        Envelope = new Envelope(sender, "bodies/" + Guid.NewGuid().ToString("N"), 1234, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123)),
        Recipients = Enumerable.Range(0, recipients).Select(i => new QueuedRecipient($"rcpt{i}@example.net")).ToArray(),
        NotBefore = notBefore,
        Lifetime = lifetime,
    };

    private static DeliveryDiagnostic Temp(string text = "451 4.3.0 Try again later") => new(DeliveryError.RemoteRejected, text);

    [Fact]
    public async Task Enqueue_then_get_roundtrips_every_field()
    {
        var queue = CreateQueue();
        var now = Clock.GetUtcNow();
        var notBefore = now + TimeSpan.FromMinutes(3);
        var received = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_456);
        var entry = new NewQueueEntry
        {
            Envelope = new Envelope("", "messages/2026/11/25/abc", 987_654_321, received)
            {
                Ret = DsnReturn.Headers,
                EnvId = "QQ314159+2Benv",
                Attributes = new Dictionary<string, string>
                {
                    [EnvelopeAttributes.AuthUser] = "bob",
                    [EnvelopeAttributes.ClientIp] = "2001:db8::1",
                    [EnvelopeAttributes.SmtpUtf8] = "1",
                    ["quote\"and\\slash"] = "ünïcødé ✉",
                },
            },
            Recipients =
            [
                new QueuedRecipient("用户@例子.广告") { Notify = DsnNotify.Success | DsnNotify.Failure | DsnNotify.Delay, OriginalRecipient = "utf-8;用户@例子.广告" },
                new QueuedRecipient("carol@example.com") { Notify = DsnNotify.Never },
                new QueuedRecipient("dave@example.com"),
            ],
            NotBefore = notBefore,
            Lifetime = TimeSpan.FromDays(2),
        };

        var id = await queue.EnqueueAsync(entry);
        var read = await queue.GetAsync(id);

        Assert.NotNull(read);
        Assert.Equal(id, read.Id);
        Assert.Equal("", read.Envelope.Sender);
        Assert.True(read.Envelope.IsNullSender);
        Assert.Equal("messages/2026/11/25/abc", read.Envelope.BodyKey);
        Assert.Equal(987_654_321, read.Envelope.BodySize);
        Assert.Equal(received, read.Envelope.ReceivedAt);
        Assert.Equal(DsnReturn.Headers, read.Envelope.Ret);
        Assert.Equal("QQ314159+2Benv", read.Envelope.EnvId);
        Assert.Equal(entry.Envelope.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal), read.Envelope.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal(3, read.Recipients.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, read.Recipients[i].Index);
            Assert.Equal(entry.Recipients[i], read.Recipients[i].Recipient);
            Assert.Equal(new RecipientState(RecipientStatus.Scheduled, 0, notBefore, null), read.Recipients[i].State);
        }

        Assert.Equal(now, read.CreatedAt);
        Assert.Equal(now + TimeSpan.FromDays(2), read.ExpiresAt);
        Assert.Equal(0, read.LeaseCount);
        Assert.Equal(notBefore, read.NextAttemptAt);
        Assert.Null(read.LeaseExpiresAt);
        Assert.False(read.IsFinished);
        Assert.Equal(now, id.Timestamp);
    }

    [Fact]
    public async Task Enqueue_defaults_and_empty_attributes_roundtrip()
    {
        var queue = CreateQueue();
        var id = await queue.EnqueueAsync(NewEntry(recipients: 2));
        var read = await queue.GetAsync(id);

        Assert.NotNull(read);
        Assert.Equal("alice@example.org", read.Envelope.Sender);
        Assert.Equal(DsnReturn.Unspecified, read.Envelope.Ret);
        Assert.Null(read.Envelope.EnvId);
        Assert.Empty(read.Envelope.Attributes);
        Assert.All(read.Recipients, r => Assert.Equal(DsnNotify.Unspecified, r.Recipient.Notify));
        Assert.All(read.Recipients, r => Assert.Null(r.Recipient.OriginalRecipient));
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromDays(7), read.ExpiresAt);
        Assert.Equal(Clock.GetUtcNow(), read.NextAttemptAt);
    }

    [Fact]
    public async Task Enqueue_with_an_explicit_id_is_idempotent()
    {
        var queue = CreateQueue();
        var id = QueueId.New(Clock);
        var first = NewEntry() with { Id = id };
        var second = NewEntry(recipients: 3) with { Id = id };

        Assert.Equal(id, await queue.EnqueueAsync(first));
        Assert.Equal(id, await queue.EnqueueAsync(second));

        var read = await queue.GetAsync(id);
        Assert.NotNull(read);
        Assert.Single(read.Recipients);
        Assert.Equal(first.Envelope.BodyKey, read.Envelope.BodyKey);
        Assert.Equal(1, (await queue.GetStatsAsync()).Total);
    }

    [Fact]
    public async Task Enqueue_rejects_an_entry_without_recipients()
    {
        var queue = CreateQueue();
        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(NewEntry() with { Recipients = [] }));
        Assert.Equal(0, (await queue.GetStatsAsync()).Total);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_null()
    {
        var queue = CreateQueue();
        Assert.Null(await queue.GetAsync(QueueId.New(Clock)));
    }

    [Fact]
    public async Task Lease_returns_only_due_entries()
    {
        var queue = CreateQueue();
        var now = Clock.GetUtcNow();
        var dueNow = await queue.EnqueueAsync(NewEntry());
        var dueLater = await queue.EnqueueAsync(NewEntry(notBefore: now + TimeSpan.FromHours(1)));

        var first = await queue.LeaseAsync(10, LongLease);
        Assert.Equal([dueNow], first.Select(l => l.Id));
        Assert.Empty(await queue.LeaseAsync(10, LongLease));

        Clock.Advance(TimeSpan.FromHours(1));
        var second = await queue.LeaseAsync(10, LongLease);
        Assert.Equal([dueLater], second.Select(l => l.Id));
    }

    [Fact]
    public async Task Lease_honours_max_and_describes_the_lease()
    {
        var queue = CreateQueue();
        for (var i = 0; i < 5; i++)
        {
            await queue.EnqueueAsync(NewEntry());
        }

        var leases = await queue.LeaseAsync(3, TimeSpan.FromSeconds(90));

        Assert.Equal(3, leases.Count);
        Assert.Equal(3, leases.Select(l => l.Token).Distinct().Count());
        Assert.All(leases, l =>
        {
            Assert.Equal(1, l.Entry.LeaseCount);
            Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromSeconds(90), l.ExpiresAt);
            Assert.Equal(l.ExpiresAt, l.Entry.LeaseExpiresAt);
            Assert.Null(l.Entry.NextAttemptAt);
        });

        var read = await queue.GetAsync(leases[0].Id);
        Assert.NotNull(read);
        Assert.Equal(1, read.LeaseCount);
        Assert.Equal(leases[0].ExpiresAt, read.LeaseExpiresAt);
        Assert.Null(read.NextAttemptAt);

        Assert.Equal(2, (await queue.LeaseAsync(10, LongLease)).Count);
        Assert.Empty(await queue.LeaseAsync(10, LongLease));
    }

    [Fact]
    public async Task Concurrent_leasers_never_get_the_same_entry()
    {
        const int Entries = 300;
        var ids = new HashSet<QueueId>();
        var producer = CreateQueue();
        await Task.WhenAll(Enumerable.Range(0, Entries).Select(async _ =>
        {
            var id = await producer.EnqueueAsync(NewEntry());
            lock (ids)
            {
                ids.Add(id);
            }
        }));

        var leased = new ConcurrentBag<QueueId>();
        var perWorker = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            // Each worker has its own queue object, as separate worker processes would.
            var queue = CreateQueue();
            var mine = 0;
            while (true)
            {
                var batch = await queue.LeaseAsync(1 + (w % 4), LongLease);
                if (batch.Count == 0)
                {
                    return mine;
                }

                foreach (var lease in batch)
                {
                    leased.Add(lease.Id);
                    mine++;
                }
            }
        })));

        Assert.Equal(Entries, leased.Count);
        Assert.Equal(Entries, leased.Distinct().Count());
        Assert.True(ids.SetEquals(leased));
        Assert.True(perWorker.Count(n => n > 0) >= 2, "the leasers should have competed: " + string.Join(",", perWorker));
    }

    [Fact]
    public async Task Complete_records_mixed_outcomes_and_keeps_the_rest_pending()
    {
        var queue = CreateQueue();
        var id = await queue.EnqueueAsync(NewEntry(recipients: 4));
        var lease = Assert.Single(await queue.LeaseAsync(1, LongLease));
        var retryAt = Clock.GetUtcNow() + TimeSpan.FromMinutes(15);

        var result = await queue.CompleteAsync(lease,
        [
            RecipientOutcome.Delivered(0, "250 2.0.0 Ok: queued as X"),
            RecipientOutcome.TemporaryFailure(1, retryAt, Temp()),
            RecipientOutcome.PermanentFailure(3, new DeliveryDiagnostic(DeliveryError.RemoteRejected, "550 5.1.1 No such user")),
        ]);

        Assert.Equal(CompletionStatus.Rescheduled, result.Status);
        var entry = await queue.GetAsync(id);
        Assert.NotNull(entry);
        Assert.Equal(result.Entry!.Recipients.Select(r => r.State), entry.Recipients.Select(r => r.State));
        Assert.Equal(new RecipientState(RecipientStatus.Delivered, 1, null, new DeliveryDiagnostic(DeliveryError.None, "250 2.0.0 Ok: queued as X")), entry.Recipients[0].State);
        Assert.Equal(new RecipientState(RecipientStatus.TemporaryFailure, 1, retryAt, Temp()), entry.Recipients[1].State);
        Assert.Equal(new RecipientState(RecipientStatus.Scheduled, 0, Clock.GetUtcNow(), null), entry.Recipients[2].State);
        Assert.Equal(RecipientStatus.PermanentFailure, entry.Recipients[3].State.Status);
        Assert.Equal("550 5.1.1 No such user", entry.Recipients[3].State.LastDiagnostic!.Text);

        // The untouched recipient is still due now, so the entry is due at once.
        Assert.Equal(Clock.GetUtcNow(), entry.NextAttemptAt);
        Assert.Equal(Clock.GetUtcNow(), result.NextAttemptAt);
        Assert.Null(entry.LeaseExpiresAt);

        var again = Assert.Single(await queue.LeaseAsync(1, LongLease));
        Assert.Equal(2, again.Entry.LeaseCount);
        var finished = await queue.CompleteAsync(again, [RecipientOutcome.Delivered(2), RecipientOutcome.Delivered(1)]);

        Assert.Equal(CompletionStatus.Finished, finished.Status);
        Assert.NotNull(finished.Entry);
        Assert.True(finished.Entry.IsFinished);
        Assert.Null(finished.NextAttemptAt);
        Assert.Equal(
            [RecipientStatus.Delivered, RecipientStatus.Delivered, RecipientStatus.Delivered, RecipientStatus.PermanentFailure],
            finished.Entry.Recipients.Select(r => r.State.Status));
        Assert.Equal(2, finished.Entry.Recipients[1].State.Attempts);
        Assert.Null(await queue.GetAsync(id));
        Assert.Equal(0, (await queue.GetStatsAsync()).Total);
        Assert.Empty(await queue.LeaseAsync(10, LongLease));
    }

    [Fact]
    public async Task Temporary_failure_reschedules_the_entry()
    {
        var queue = CreateQueue();
        var id = await queue.EnqueueAsync(NewEntry(recipients: 2));
        var lease = Assert.Single(await queue.LeaseAsync(1, LongLease));
        var early = Clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        var late = Clock.GetUtcNow() + TimeSpan.FromMinutes(30);

        var result = await queue.CompleteAsync(lease, [RecipientOutcome.TemporaryFailure(0, late, Temp("421 4.7.0 Later")), RecipientOutcome.TemporaryFailure(1, early, Temp())]);

        Assert.Equal(CompletionStatus.Rescheduled, result.Status);
        Assert.Equal(early, result.NextAttemptAt);
        Assert.Equal(early, (await queue.GetAsync(id))!.NextAttemptAt);
        Assert.Empty(await queue.LeaseAsync(1, LongLease));

        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await queue.LeaseAsync(1, LongLease));

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var retry = Assert.Single(await queue.LeaseAsync(1, LongLease));
        Assert.Equal(id, retry.Id);
        Assert.Equal(new RecipientState(RecipientStatus.TemporaryFailure, 1, late, Temp("421 4.7.0 Later")), retry.Entry.Recipients[0].State);
        Assert.Equal(new RecipientState(RecipientStatus.TemporaryFailure, 1, early, Temp()), retry.Entry.Recipients[1].State);
    }

    [Fact]
    public async Task Temporary_failure_beyond_the_lifetime_expires_the_recipient()
    {
        var queue = CreateQueue();
        var id = await queue.EnqueueAsync(NewEntry(recipients: 2, lifetime: TimeSpan.FromHours(1)));
        var lease = Assert.Single(await queue.LeaseAsync(1, LongLease));
        var expiresAt = Clock.GetUtcNow() + TimeSpan.FromHours(1);

        // Exactly at the lifetime's end is still allowed; a millisecond later is not.
        var result = await queue.CompleteAsync(lease,
        [
            RecipientOutcome.TemporaryFailure(0, expiresAt, Temp()),
            RecipientOutcome.TemporaryFailure(1, expiresAt + TimeSpan.FromMilliseconds(1), Temp("452 4.2.2 Mailbox full")),
        ]);

        Assert.Equal(CompletionStatus.Rescheduled, result.Status);
        Assert.Equal(RecipientStatus.TemporaryFailure, result.Entry!.Recipients[0].State.Status);
        Assert.Equal(new RecipientState(RecipientStatus.Expired, 1, null, Temp("452 4.2.2 Mailbox full")), result.Entry.Recipients[1].State);

        Clock.Advance(TimeSpan.FromHours(1));
        var last = Assert.Single(await queue.LeaseAsync(1, LongLease));
        var final = await queue.CompleteAsync(last, [RecipientOutcome.TemporaryFailure(0, Clock.GetUtcNow() + TimeSpan.FromMinutes(1), Temp())]);

        Assert.Equal(CompletionStatus.Finished, final.Status);
        Assert.All(final.Entry!.Recipients, r => Assert.Equal(RecipientStatus.Expired, r.State.Status));
        Assert.Equal(2, final.Entry.Recipients[0].State.Attempts);
        Assert.Null(await queue.GetAsync(id));
    }

    [Fact]
    public async Task Completion_after_the_lease_was_taken_over_is_lost_and_writes_nothing()
    {
        var queue = CreateQueue();
        var other = CreateQueue();
        var id = await queue.EnqueueAsync(NewEntry(recipients: 2));
        var stale = Assert.Single(await queue.LeaseAsync(1, TimeSpan.FromSeconds(30)));

        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await other.LeaseAsync(1, LongLease));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var current = Assert.Single(await other.LeaseAsync(1, LongLease));
        Assert.Equal(id, current.Id);
        Assert.Equal(2, current.Entry.LeaseCount);
        Assert.NotEqual(stale.Token, current.Token);

        var lost = await queue.CompleteAsync(stale, [RecipientOutcome.Delivered(0), RecipientOutcome.Delivered(1)]);
        Assert.Equal(CompletionStatus.LeaseLost, lost.Status);
        Assert.Null(lost.Entry);
        Assert.False(await queue.RenewLeaseAsync(stale, LongLease));

        var entry = await queue.GetAsync(id);
        Assert.NotNull(entry);
        Assert.All(entry.Recipients, r => Assert.Equal(RecipientStatus.Scheduled, r.State.Status));
        Assert.Equal(current.ExpiresAt, entry.LeaseExpiresAt);

        var done = await other.CompleteAsync(current, [RecipientOutcome.Delivered(0), RecipientOutcome.PermanentFailure(1, new DeliveryDiagnostic(DeliveryError.NoMailExchanger, "no MX"))]);
        Assert.Equal(CompletionStatus.Finished, done.Status);
        Assert.Equal(CompletionStatus.LeaseLost, (await other.CompleteAsync(current, [])).Status);
    }

    [Fact]
    public async Task An_expired_lease_nobody_took_over_can_still_complete()
    {
        var queue = CreateQueue();
        var id = await queue.EnqueueAsync(NewEntry());
        var lease = Assert.Single(await queue.LeaseAsync(1, TimeSpan.FromSeconds(10)));
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, (await queue.GetStatsAsync()).Due);
        var result = await queue.CompleteAsync(lease, [RecipientOutcome.Delivered(0)]);

        Assert.Equal(CompletionStatus.Finished, result.Status);
        Assert.Null(await queue.GetAsync(id));
        Assert.Empty(await queue.LeaseAsync(1, LongLease));
    }

    [Fact]
    public async Task Renew_extends_the_lease()
    {
        var queue = CreateQueue();
        var other = CreateQueue();
        var id = await queue.EnqueueAsync(NewEntry());
        var lease = Assert.Single(await queue.LeaseAsync(1, TimeSpan.FromSeconds(30)));

        Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await queue.RenewLeaseAsync(lease, TimeSpan.FromSeconds(30)));
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromSeconds(30), (await queue.GetAsync(id))!.LeaseExpiresAt);

        // Past the original expiry but within the renewed one.
        Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(await other.LeaseAsync(1, LongLease));

        Clock.Advance(TimeSpan.FromSeconds(10));
        var taken = Assert.Single(await other.LeaseAsync(1, LongLease));
        Assert.Equal(id, taken.Id);
        Assert.False(await queue.RenewLeaseAsync(lease, TimeSpan.FromSeconds(30)));
        Assert.True(await other.RenewLeaseAsync(taken, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Renew_after_completion_fails()
    {
        var queue = CreateQueue();
        await queue.EnqueueAsync(NewEntry(recipients: 2));
        var lease = Assert.Single(await queue.LeaseAsync(1, LongLease));
        await queue.CompleteAsync(lease, [RecipientOutcome.Delivered(0)]);

        Assert.False(await queue.RenewLeaseAsync(lease, LongLease));
        Assert.Single(await queue.LeaseAsync(1, LongLease));
    }

    [Fact]
    public async Task Complete_rejects_bad_outcomes_and_ignores_final_recipients()
    {
        var queue = CreateQueue();
        var id = await queue.EnqueueAsync(NewEntry(recipients: 2));
        var lease = Assert.Single(await queue.LeaseAsync(1, LongLease));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.CompleteAsync(lease, [RecipientOutcome.Delivered(2)]));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.CompleteAsync(lease, [RecipientOutcome.Delivered(0), RecipientOutcome.Delivered(0)]));

        Assert.Equal(CompletionStatus.Rescheduled, (await queue.CompleteAsync(lease, [RecipientOutcome.PermanentFailure(0, new DeliveryDiagnostic(DeliveryError.PolicyRejected, "denied"))])).Status);
        var again = Assert.Single(await queue.LeaseAsync(1, LongLease));
        var result = await queue.CompleteAsync(again, [RecipientOutcome.Delivered(0), RecipientOutcome.TemporaryFailure(1, Clock.GetUtcNow() + TimeSpan.FromMinutes(5), Temp())]);

        var entry = await queue.GetAsync(id);
        Assert.Equal(CompletionStatus.Rescheduled, result.Status);
        Assert.Equal(new RecipientState(RecipientStatus.PermanentFailure, 1, null, new DeliveryDiagnostic(DeliveryError.PolicyRejected, "denied")), entry!.Recipients[0].State);
        Assert.Equal(RecipientStatus.TemporaryFailure, entry.Recipients[1].State.Status);
    }

    [Fact]
    public async Task Flush_makes_every_scheduled_entry_due_now()
    {
        var queue = CreateQueue();
        var now = Clock.GetUtcNow();
        var later = await queue.EnqueueAsync(NewEntry(notBefore: now + TimeSpan.FromHours(2)));
        var evenLater = await queue.EnqueueAsync(NewEntry(notBefore: now + TimeSpan.FromDays(1)));
        var dueNow = await queue.EnqueueAsync(NewEntry());
        var retrying = await queue.EnqueueAsync(NewEntry(recipients: 2));
        var leased = await queue.EnqueueAsync(NewEntry());

        var all = await queue.LeaseAsync(10, LongLease);
        Assert.Equal(3, all.Count);
        var retryLease = all.Single(l => l.Id == retrying);
        await queue.CompleteAsync(retryLease, [RecipientOutcome.TemporaryFailure(0, now + TimeSpan.FromHours(1), Temp()), RecipientOutcome.TemporaryFailure(1, now + TimeSpan.FromHours(3), Temp())]);
        await queue.CompleteAsync(all.Single(l => l.Id == dueNow), []);

        Assert.Equal(3, (await queue.GetStatsAsync()).Scheduled);
        Assert.Equal(3, await queue.FlushAsync());

        var stats = await queue.GetStatsAsync();
        Assert.Equal(0, stats.Scheduled);
        Assert.Equal(4, stats.Due);
        Assert.Equal(1, stats.Leased);

        var flushed = await queue.GetAsync(retrying);
        Assert.All(flushed!.Recipients, r => Assert.Equal(now, r.State.NextAttemptAt));
        var leases = await queue.LeaseAsync(10, LongLease);
        Assert.Equal(new[] { later, evenLater, dueNow, retrying }.Order(), leases.Select(l => l.Id).Order());
        Assert.DoesNotContain(leased, leases.Select(l => l.Id));
        Assert.Equal(0, await queue.FlushAsync());

        // A completion after the flush stores the flushed times, then the marker is gone.
        var r = leases.Single(l => l.Id == retrying);
        await queue.CompleteAsync(r, [RecipientOutcome.TemporaryFailure(0, now + TimeSpan.FromHours(5), Temp())]);
        var after = await queue.GetAsync(retrying);
        Assert.Equal(now + TimeSpan.FromHours(5), after!.Recipients[0].State.NextAttemptAt);
        Assert.Equal(now, after.Recipients[1].State.NextAttemptAt);
        Assert.Equal(now, after.NextAttemptAt);
    }

    [Fact]
    public async Task Delete_removes_an_entry_in_any_state()
    {
        var queue = CreateQueue();
        var waiting = await queue.EnqueueAsync(NewEntry(notBefore: Clock.GetUtcNow() + TimeSpan.FromHours(1)));
        var leasedId = await queue.EnqueueAsync(NewEntry());
        var lease = Assert.Single(await queue.LeaseAsync(1, LongLease));

        Assert.True(await queue.DeleteAsync(waiting));
        Assert.True(await queue.DeleteAsync(leasedId));
        Assert.False(await queue.DeleteAsync(waiting));

        Assert.Null(await queue.GetAsync(waiting));
        Assert.Null(await queue.GetAsync(leasedId));
        Assert.Equal(CompletionStatus.LeaseLost, (await queue.CompleteAsync(lease, [RecipientOutcome.Delivered(0)])).Status);
        Assert.Null(await queue.GetAsync(leasedId));
        Assert.False(await queue.RenewLeaseAsync(lease, LongLease));

        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(await queue.LeaseAsync(10, LongLease));
        Assert.Equal(new QueueStats(0, 0, 0, null), await queue.GetStatsAsync());
        await foreach (var e in queue.ListAsync())
        {
            Assert.Fail("unexpected entry " + e.Id);
        }
    }

    [Fact]
    public async Task List_pages_through_every_entry_once()
    {
        var queue = CreateQueue();
        var ids = new List<QueueId>();
        for (var i = 0; i < 230; i++)
        {
            ids.Add(await queue.EnqueueAsync(NewEntry(notBefore: i % 3 == 0 ? Clock.GetUtcNow() + TimeSpan.FromHours(1) : null)));
        }

        var leased = await queue.LeaseAsync(50, LongLease);
        Assert.Equal(50, leased.Count);

        var listed = new List<QueueEntry>();
        await foreach (var entry in queue.ListAsync())
        {
            listed.Add(entry);
        }

        Assert.Equal(ids.Order(), listed.Select(e => e.Id).Order());
        Assert.Equal(50, listed.Count(e => e.LeaseExpiresAt is not null));
        Assert.All(listed.Where(e => e.LeaseExpiresAt is not null), e => Assert.Equal(1, e.LeaseCount));
    }

    [Fact]
    public async Task Stats_count_entries_by_state()
    {
        var queue = CreateQueue();
        Assert.Equal(new QueueStats(0, 0, 0, null), await queue.GetStatsAsync());

        var start = Clock.GetUtcNow();
        await queue.EnqueueAsync(NewEntry());
        Clock.Advance(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 3; i++)
        {
            await queue.EnqueueAsync(NewEntry());
        }

        await queue.EnqueueAsync(NewEntry(notBefore: Clock.GetUtcNow() + TimeSpan.FromMinutes(1)));
        await queue.EnqueueAsync(NewEntry(notBefore: Clock.GetUtcNow() + TimeSpan.FromMinutes(2)));
        await queue.LeaseAsync(2, TimeSpan.FromSeconds(30));
        Clock.Advance(TimeSpan.FromSeconds(10));

        var stats = await queue.GetStatsAsync();
        Assert.Equal(2, stats.Scheduled);
        Assert.Equal(2, stats.Due);
        Assert.Equal(2, stats.Leased);
        Assert.Equal(6, stats.Total);
        Assert.Equal(Clock.GetUtcNow() - start, stats.OldestEntryAge);

        // Expired leases count as due.
        Clock.Advance(TimeSpan.FromSeconds(30));
        stats = await queue.GetStatsAsync();
        Assert.Equal(4, stats.Due);
        Assert.Equal(0, stats.Leased);
    }

    [Fact]
    public async Task A_different_partition_count_on_existing_data_is_refused()
    {
        var prefix = "test:" + Guid.NewGuid().ToString("N");
        await CreateQueue(partitions: 2, prefix: prefix).EnqueueAsync(NewEntry());

        var wrong = CreateQueue(partitions: 3, prefix: prefix);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => wrong.EnqueueAsync(NewEntry()));
        Assert.Contains("partition", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => wrong.LeaseAsync(1, LongLease));
    }

    [Fact]
    public async Task Many_recipients_roundtrip()
    {
        var queue = CreateQueue();
        var id = await queue.EnqueueAsync(NewEntry(recipients: 1000));
        var lease = Assert.Single(await queue.LeaseAsync(1, LongLease));
        var outcomes = Enumerable.Range(0, 999).Select(i => RecipientOutcome.Delivered(i)).ToArray();

        var result = await queue.CompleteAsync(lease, outcomes);

        Assert.Equal(CompletionStatus.Rescheduled, result.Status);
        var entry = await queue.GetAsync(id);
        Assert.Equal(1000, entry!.Recipients.Count);
        Assert.Equal(999, entry.Recipients.Count(r => r.State.Status == RecipientStatus.Delivered));
        Assert.Equal("rcpt999@example.net", entry.Recipients[999].Recipient.Address);
    }

    [Fact]
    public async Task A_due_id_without_an_entry_is_purged_instead_of_leased()
    {
        var prefix = "test:" + Guid.NewGuid().ToString("N");
        var queue = CreateQueue(partitions: 1, prefix: prefix);
        var good = await queue.EnqueueAsync(NewEntry());
        var orphan = QueueId.New(Clock);
        await _backend.Connection.GetDatabase().SortedSetAddAsync(prefix + ":{p0}:due", orphan.Value, 0);
        Assert.Equal(2, (await queue.GetStatsAsync()).Due);

        var leases = await queue.LeaseAsync(10, LongLease);

        Assert.Equal([good], leases.Select(l => l.Id));
        Clock.Advance(LongLease + TimeSpan.FromSeconds(1));
        Assert.Equal([good], (await queue.LeaseAsync(10, LongLease)).Select(l => l.Id));
        Assert.Equal(1, (await queue.GetStatsAsync()).Total);
    }
}
