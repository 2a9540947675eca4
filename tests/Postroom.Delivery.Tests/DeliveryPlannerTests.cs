using Postroom.Config.Snapshot;
using Postroom.Queue;

namespace Postroom.Delivery.Tests;

/// <summary>The pure planner: resolution to targets and the outcome a recipient gets from its targets' results.</summary>
public sealed class DeliveryPlannerTests
{
    private static readonly ConfigSnapshot Snapshot = TestConfig.Snapshot();
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeliveryOptions Options = new();
    private static readonly DeliveryPlanner Planner = new(Options);

    private static QueueEntry Entry(params string[] recipients) => Entry(recipients.Select(r => (r, new RecipientState(RecipientStatus.Scheduled, 0, Now, null))).ToArray());

    private static QueueEntry Entry(params (string Address, RecipientState State)[] recipients) => new()
    {
        Id = QueueId.New(Now),
        Envelope = new Envelope("alice@remote.example", "messages/x", 100, Now),
        Recipients = [.. recipients.Select((r, i) => new QueueEntryRecipient(i, new QueuedRecipient(r.Address), r.State))],
        CreatedAt = Now,
        ExpiresAt = Now.AddDays(7),
        LeaseCount = 1,
    };

    private static RecipientPlan PlanOne(string address) => Assert.Single(DeliveryPlanner.Plan(Entry(address), Snapshot));

    private static TargetResult Ok(TargetPlan target) => new(target, TargetResultKind.Delivered, new DeliveryDiagnostic(DeliveryError.None, DeliveryReplies.Delivered));

    private static IReadOnlyList<TargetResult> LocalOkRestUnattempted(RecipientPlan plan) =>
        [.. plan.Targets.Select(t => t.Action == TargetAction.Local ? Ok(t) : DeliveryPlanner.Unattempted(t))];

    [Theory]
    [InlineData("jane@example.com")]
    [InlineData("JANE@example.net")]
    public void A_local_user_is_one_local_target_and_delivered_when_appended(string address)
    {
        var plan = PlanOne(address);

        var target = Assert.Single(plan.Targets);
        Assert.Equal(new TargetPlan(TargetAction.Local, "jane@example.com"), target);
        Assert.Null(plan.Immediate);
        var outcome = Planner.Decide(plan, [Ok(target)], Now);
        Assert.Equal(RecipientOutcomeKind.Delivered, outcome.Kind);
    }

    [Fact]
    public void An_extension_reaches_the_user_and_keeps_the_extension()
    {
        var target = Assert.Single(PlanOne("jane+lists@example.com").Targets);

        Assert.Equal(TargetAction.Local, target.Action);
        Assert.Equal("jane@example.com", target.Address);
        Assert.Equal("lists", target.Extension);
    }

    [Fact]
    public void The_quota_of_the_user_travels_with_the_target() =>
        Assert.Equal(1024, Assert.Single(PlanOne("tiny@example.com").Targets).QuotaBytes);

    [Fact]
    public void An_alias_to_two_local_users_is_delivered_only_when_both_appends_succeeded()
    {
        var plan = PlanOne("sales@example.com");
        Assert.Equal(["jane@example.com", "john@example.com"], plan.Targets.Select(t => t.Address));
        Assert.All(plan.Targets, t => Assert.Equal(TargetAction.Local, t.Action));

        var full = new TargetResult(plan.Targets[1], TargetResultKind.Temporary, new DeliveryDiagnostic(DeliveryError.LocalError, DeliveryReplies.MailboxFull));
        var half = Planner.Decide(plan, [Ok(plan.Targets[0]), full], Now);
        Assert.Equal(RecipientOutcomeKind.TemporaryFailure, half.Kind);
        Assert.Equal("452 4.2.2 mailbox full", half.Diagnostic!.Text);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), half.NextAttemptAt);

        var retried = Planner.Decide(plan, [new TargetResult(plan.Targets[0], TargetResultKind.Duplicate, new DeliveryDiagnostic(DeliveryError.None, DeliveryReplies.Delivered)), Ok(plan.Targets[1])], Now);
        Assert.Equal(RecipientOutcomeKind.Delivered, retried.Kind);
    }

    [Fact]
    public void An_alias_to_local_users_and_a_remote_address_delivers_locally_and_defers_the_remote_copy()
    {
        var plan = PlanOne("backup@example.com");
        Assert.Equal(
            ["Local:jane@example.com", "Local:john@example.com", "Remote:archive@backup.example.org"],
            plan.Targets.Select(t => $"{t.Action}:{t.Address}"));

        var outcome = Planner.Decide(plan, LocalOkRestUnattempted(plan), Now);

        Assert.Equal(RecipientOutcomeKind.TemporaryFailure, outcome.Kind);
        Assert.Equal("451 4.4.0 remote delivery is not available yet", outcome.Diagnostic!.Text);
    }

    [Fact]
    public void Duplicate_targets_of_one_recipient_are_delivered_once() =>
        Assert.Equal("jane@example.com", Assert.Single(PlanOne("self@example.com").Targets).Address);

    [Fact]
    public void A_catch_all_discard_is_delivered_without_targets()
    {
        var plan = PlanOne("nobody@example.org");

        Assert.Equal(ResolutionKind.Discard, plan.Resolution);
        Assert.Empty(plan.Targets);
        Assert.Equal(RecipientOutcomeKind.Delivered, plan.Immediate!.Kind);
        Assert.StartsWith("250 2.0.0 discarded", plan.Immediate.Diagnostic!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_removed_since_RCPT_fails_permanently_with_550_5_1_1()
    {
        // Accepted while john existed; delivered after the configuration lost him.
        var changed = TestConfig.Snapshot(TestConfig.Yaml.Replace("- { name: john, password: HASH }", "", StringComparison.Ordinal).Replace("targets: [jane, john]", "targets: [jane]", StringComparison.Ordinal).Replace("targets: [jane, john, ", "targets: [jane, ", StringComparison.Ordinal));
        var plan = Assert.Single(DeliveryPlanner.Plan(Entry("john@example.com"), changed));

        Assert.Equal(RecipientOutcomeKind.PermanentFailure, plan.Immediate!.Kind);
        Assert.Equal("550 5.1.1 <john@example.com>: no such user", plan.Immediate.Diagnostic!.Text);
    }

    [Fact]
    public void A_disabled_mailbox_fails_permanently_with_550_5_2_1()
    {
        var plan = PlanOne("gone@example.com");

        Assert.Equal(RecipientOutcomeKind.PermanentFailure, plan.Immediate!.Kind);
        Assert.StartsWith("550 5.2.1", plan.Immediate.Diagnostic!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_remote_forward_is_deferred_with_backoff_never_dropped()
    {
        var plan = PlanOne("forward@example.com");
        var target = Assert.Single(plan.Targets);
        Assert.Equal(new TargetPlan(TargetAction.Remote, "jeff@other.example"), target);

        var outcome = Planner.Decide(plan, [DeliveryPlanner.Unattempted(target)], Now);

        Assert.Equal(RecipientOutcomeKind.TemporaryFailure, outcome.Kind);
        Assert.Equal("451 4.4.0 remote delivery is not available yet", outcome.Diagnostic!.Text);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), outcome.NextAttemptAt);
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(4, 240)]
    [InlineData(5, 480)]
    [InlineData(40, 480)]
    public void A_relayed_recipient_backs_off_by_its_attempts_up_to_a_cap(int attempts, int minutes)
    {
        var state = new RecipientState(attempts == 0 ? RecipientStatus.Scheduled : RecipientStatus.TemporaryFailure, attempts, Now, null);
        var plan = Assert.Single(DeliveryPlanner.Plan(Entry(("someone@elsewhere.example", state)), Snapshot));
        Assert.Equal(ResolutionKind.NotHosted, plan.Resolution);

        var outcome = Planner.Decide(plan, [DeliveryPlanner.Unattempted(Assert.Single(plan.Targets))], Now);

        Assert.Equal(Now + TimeSpan.FromMinutes(minutes), outcome.NextAttemptAt);
    }

    [Fact]
    public void A_loop_fails_permanently_unless_another_target_still_needs_a_retry()
    {
        var plan = PlanOne("sales@example.com");
        var loop = new TargetResult(plan.Targets[0], TargetResultKind.Permanent, DeliveryReplies.Loop("jane@example.com"));

        var outcome = Planner.Decide(plan, [loop, Ok(plan.Targets[1])], Now);

        Assert.Equal(RecipientOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.Equal("554 5.4.6 mail loop: already delivered to jane@example.com", outcome.Diagnostic!.Text);
    }

    [Fact]
    public void Final_recipients_are_not_planned_again()
    {
        var entry = Entry(
            ("jane@example.com", new RecipientState(RecipientStatus.Delivered, 1, null, null)),
            ("john@example.com", new RecipientState(RecipientStatus.TemporaryFailure, 1, Now, null)));

        var plan = Assert.Single(DeliveryPlanner.Plan(entry, Snapshot));

        Assert.Equal(1, plan.Index);
    }

    [Theory]
    [InlineData("Delivered-To: jane@example.com\r\nSubject: x\r\n\r\nDelivered-To: body@example.com\r\n", "jane@example.com")]
    [InlineData("subject: x\r\ndelivered-to:  <Jane@Example.com> \r\n\r\n", "Jane@Example.com")]
    [InlineData("Delivered-To:\r\n jane@example.com\r\nX: y\r\n\r\n", "jane@example.com")]
    [InlineData("Subject: x\nDELIVERED-TO: a@b.example\n\n", "a@b.example")]
    [InlineData("Subject: no loop here\r\nX-Delivered-To: a@b.example\r\n\r\n", "")]
    public void Delivered_to_fields_are_read_from_the_header_section_only(string message, string expected) =>
        Assert.Equal(expected, string.Join(",", HeaderScanner.DeliveredTo(System.Text.Encoding.UTF8.GetBytes(message))));
}
