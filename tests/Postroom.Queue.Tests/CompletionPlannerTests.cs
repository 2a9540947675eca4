namespace Postroom.Queue.Tests;

/// <summary>The storage-independent completion rules.</summary>
public sealed class CompletionPlannerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);
    private static readonly DeliveryDiagnostic Busy = new(DeliveryError.RemoteRejected, "450 4.2.1 Busy");

    private static QueueEntry Entry(params RecipientState[] states) => new()
    {
        Id = QueueId.New(Now),
        Envelope = new Envelope("a@example.org", "k", 1, Now),
        Recipients = states.Select((s, i) => new QueueEntryRecipient(i, new QueuedRecipient($"r{i}@example.net"), s)).ToArray(),
        CreatedAt = Now,
        ExpiresAt = Now + TimeSpan.FromDays(1),
        LeaseCount = 1,
        LeaseExpiresAt = Now + TimeSpan.FromMinutes(1),
    };

    private static RecipientState Scheduled(DateTimeOffset at) => new(RecipientStatus.Scheduled, 0, at, null);

    [Fact]
    public void Next_attempt_is_the_earliest_pending_recipient()
    {
        var entry = Entry(Scheduled(Now), Scheduled(Now), Scheduled(Now));
        var result = CompletionPlanner.Apply(entry,
        [
            RecipientOutcome.TemporaryFailure(0, Now + TimeSpan.FromHours(2), Busy),
            RecipientOutcome.TemporaryFailure(1, Now + TimeSpan.FromHours(1), Busy),
            RecipientOutcome.Delivered(2),
        ]);

        Assert.Equal(Now + TimeSpan.FromHours(1), result.NextAttemptAt);
        Assert.Null(result.LeaseExpiresAt);
        Assert.False(result.IsFinished);
        Assert.Equal(entry.Id, result.Id);
        Assert.Equal(entry.Envelope, result.Envelope);
    }

    [Fact]
    public void All_final_means_finished_without_next_attempt()
    {
        var result = CompletionPlanner.Apply(Entry(Scheduled(Now), Scheduled(Now)),
        [
            RecipientOutcome.Delivered(0),
            RecipientOutcome.TemporaryFailure(1, Now + TimeSpan.FromDays(2), Busy),
        ]);

        Assert.True(result.IsFinished);
        Assert.Null(result.NextAttemptAt);
        Assert.Equal(RecipientStatus.Expired, result.Recipients[1].State.Status);
        Assert.Equal(Busy, result.Recipients[1].State.LastDiagnostic);
    }

    [Fact]
    public void The_input_entry_is_not_modified()
    {
        var entry = Entry(Scheduled(Now));
        _ = CompletionPlanner.Apply(entry, [RecipientOutcome.Delivered(0)]);

        Assert.Equal(RecipientStatus.Scheduled, entry.Recipients[0].State.Status);
    }

    [Fact]
    public void Outcome_factories_validate()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RecipientOutcome.Delivered(-1));
        Assert.Throws<ArgumentNullException>(() => RecipientOutcome.PermanentFailure(0, null!));
        Assert.Null(RecipientOutcome.Delivered(0).Diagnostic);
        Assert.Equal(new DeliveryDiagnostic(DeliveryError.None, "250 ok"), RecipientOutcome.Delivered(0, "250 ok").Diagnostic);
    }
}
