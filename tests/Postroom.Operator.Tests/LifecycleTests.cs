using System.Text.Json.Nodes;
using Postroom.Config.Model;
using Postroom.Mailbox;

namespace Postroom.Operator.Tests;

/// <summary>Deletion with finalizers, restarts mid-reconcile, 410 Gone on the watch, and leader election.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Delete_policy_purges_only_that_domain_then_removes_the_finalizer()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.StartOperatorAsync();
        var doomed = OperatorEnvironment.Spec("doomed.example", new MailUserSpec { Name = "jane", Password = Hashes.Jane });
        doomed.ReclaimPolicy = "Delete";
        var kept = OperatorEnvironment.Spec("kept.example", new MailUserSpec { Name = "bob", Password = Hashes.Bob });
        kept.ReclaimPolicy = "Delete";
        var mailbox = env.Mailbox;
        mailbox.Configure(doomed, kept);
        await env.CreateDomainAsync("doomed", doomed);
        await env.CreateDomainAsync("kept", kept);
        await env.WaitForReadyAsync("doomed");
        await env.WaitForReadyAsync("kept");

        // Mail for both domains through the real API: the doomed domain's in two mailboxes of two users, and one
        // body delivered to a user of each domain (stored once, referenced twice).
        var doomedBodies = new[]
        {
            await mailbox.DeliverAsync("jane@doomed.example", "one"),
            await mailbox.DeliverAsync("jane@doomed.example", "two", "Sent"),
            await mailbox.DeliverAsync("postmaster@doomed.example", "three"),
        };
        var bobsOwn = await mailbox.DeliverAsync("bob@kept.example", "four");
        var keptPostmasters = await mailbox.DeliverAsync("postmaster@kept.example", "five");
        var shared = await mailbox.PutBodyAsync("to both");
        await mailbox.AppendAsync("jane@doomed.example", shared);
        await mailbox.AppendAsync("bob@kept.example", shared);
        Assert.Equal(2, await mailbox.Store.GetReferenceCountAsync(shared.Key));
        Assert.Equal(["jane@doomed.example", "postmaster@doomed.example"], await mailbox.DomainUsersAsync("doomed.example"));
        var bobUsage = await mailbox.Store.GetUsageAsync("bob@kept.example", CancellationToken.None);
        var keptPostmasterUsage = await mailbox.Store.GetUsageAsync("postmaster@kept.example", CancellationToken.None);
        Assert.Equal(2, bobUsage.Messages);

        // When the operator writes the finalizer away, the doomed domain's data must already be gone.
        var atFinalizerRemoval = new TaskCompletionSource<List<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        env.Api.BeforeWrite = async request =>
        {
            if (request.Method == "PATCH"
                && request.Path.EndsWith("/maildomains/doomed", StringComparison.Ordinal)
                && !request.Body.Contains("postroom.io/mailbox-data", StringComparison.Ordinal))
            {
                atFinalizerRemoval.TrySetResult(await mailbox.DomainUsersAsync("doomed.example"));
            }

            return true;
        };

        await env.DeleteDomainAsync("doomed");
        await OperatorEnvironment.EventuallyAsync(() => Task.FromResult(env.GetDomain("doomed") is null ? "gone" : null), TimeSpan.FromSeconds(10), "doomed to be removed");
        Assert.Empty(await atFinalizerRemoval.Task.WaitAsync(TimeSpan.FromSeconds(5)));

        // The doomed domain's users have no mailboxes, messages or usage left, and their bodies are deleted.
        foreach (var user in new[] { "jane@doomed.example", "postmaster@doomed.example" })
        {
            // Only the user hash is left, holding nothing but "lastvalidity" (so a UIDVALIDITY is never reused).
            var left = Assert.Single(await mailbox.KeysOfAsync(user));
            Assert.EndsWith("{" + user + "}:user", left, StringComparison.Ordinal);
            Assert.Equal(["lastvalidity"], await mailbox.HashFieldsAsync(left));
            Assert.Equal(new MailboxUsage(0, 0), await mailbox.Store.GetUsageAsync(user, CancellationToken.None));
        }

        Assert.Empty(await mailbox.DomainUsersAsync("doomed.example"));
        foreach (var key in doomedBodies)
        {
            Assert.False(await mailbox.BodyExistsAsync(key), key);
            Assert.Equal(0, await mailbox.Store.GetReferenceCountAsync(key));
        }

        // The kept domain's mail is untouched, its bodies (the shared one too, now referenced once) still stored.
        Assert.Equal(["bob@kept.example", "postmaster@kept.example"], await mailbox.DomainUsersAsync("kept.example"));
        Assert.Equal([bobsOwn, shared.Key], await mailbox.BlobKeysAsync("bob@kept.example"));
        Assert.Equal([keptPostmasters], await mailbox.BlobKeysAsync("postmaster@kept.example"));
        Assert.Equal(bobUsage, await mailbox.Store.GetUsageAsync("bob@kept.example", CancellationToken.None));
        Assert.Equal(keptPostmasterUsage, await mailbox.Store.GetUsageAsync("postmaster@kept.example", CancellationToken.None));
        foreach (var key in new[] { bobsOwn, keptPostmasters, shared.Key })
        {
            Assert.True(await mailbox.BodyExistsAsync(key), key);
        }

        Assert.Equal(1, await mailbox.Store.GetReferenceCountAsync(shared.Key));

        Assert.NotNull(env.GetDomain("kept"));
        var snapshot = (await env.PublishedSnapshotAsync())!;
        Assert.Null(snapshot.FindDomain("doomed.example"));
        Assert.NotNull(snapshot.FindDomain("kept.example"));

        // The finalizer went only after the purge: the object was seen with a deletionTimestamp, then removed.
        var finalizerRemoval = env.Api.Requests.Last(r => r.Method == "PATCH" && r.Path.EndsWith("/maildomains/doomed", StringComparison.Ordinal));
        Assert.DoesNotContain("postroom.io/mailbox-data", finalizerRemoval.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retain_policy_removes_the_finalizer_without_purging()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.StartOperatorAsync();
        var spec = OperatorEnvironment.Spec("kept.example", new MailUserSpec { Name = "bob", Password = Hashes.Bob });
        env.Mailbox.Configure(spec);
        await env.CreateDomainAsync("kept", spec);
        await env.WaitForReadyAsync("kept");
        Assert.Contains("postroom.io/mailbox-data", env.GetDomain("kept")!.Metadata.Finalizers!);
        var bobs = await env.Mailbox.DeliverAsync("bob@kept.example", "one");
        var postmasters = await env.Mailbox.DeliverAsync("postmaster@kept.example", "two");
        var usage = await env.Mailbox.Store.GetUsageAsync("bob@kept.example", CancellationToken.None);

        await env.DeleteDomainAsync("kept");
        await OperatorEnvironment.EventuallyAsync(() => Task.FromResult(env.GetDomain("kept") is null ? "gone" : null), TimeSpan.FromSeconds(10), "kept to be removed");

        Assert.Null((await env.PublishedSnapshotAsync())!.FindDomain("kept.example"));
        Assert.Equal(["bob@kept.example", "postmaster@kept.example"], await env.Mailbox.DomainUsersAsync("kept.example"));
        Assert.Equal([bobs], await env.Mailbox.BlobKeysAsync("bob@kept.example"));
        Assert.Equal([postmasters], await env.Mailbox.BlobKeysAsync("postmaster@kept.example"));
        Assert.Equal(usage, await env.Mailbox.Store.GetUsageAsync("bob@kept.example", CancellationToken.None));
        Assert.True(await env.Mailbox.BodyExistsAsync(bobs));
        Assert.True(await env.Mailbox.BodyExistsAsync(postmasters));
    }

    [Fact]
    public async Task An_operator_killed_mid_reconcile_and_restarted_converges_without_duplicate_events_or_flapping()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var first = await env.StartOperatorAsync();
        await env.CreateDomainAsync("stable", OperatorEnvironment.Spec("stable.example"));
        var stable = await env.WaitForReadyAsync("stable");
        var transition = stable.Status!.Conditions!.Single(c => c.Type == "Ready").LastTransitionTime;

        // Hold the status write of the next resource, then kill the operator while it waits: its Event is already recorded.
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        env.Api.BeforeWrite = async request =>
        {
            if (request.Path.Contains("/maildomains/late/status", StringComparison.Ordinal))
            {
                held.TrySetResult();
                await release.Task;
                return false;
            }

            return true;
        };
        await env.CreateDomainAsync("late", OperatorEnvironment.Spec("late.example"));
        await held.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(env.EventsFor("late"));
        var kill = first.KillAsync();
        release.SetResult();
        await kill;
        env.Api.BeforeWrite = null;
        Assert.Null(env.GetDomain("late")!.Status);

        await Task.Delay(1100);
        await env.StartOperatorAsync();
        await env.WaitForReadyAsync("late");
        await Task.Delay(500);

        Assert.Single(env.EventsFor("late"));
        Assert.Single(env.EventsFor("stable"));
        var after = env.GetDomain("stable")!.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal("True", after.Status);
        Assert.Equal(transition, after.LastTransitionTime);

        // No write ever said anything but Ready=True for the stable resource.
        foreach (var write in env.Api.Requests.Where(r => r.Path.Contains("/maildomains/stable/status", StringComparison.Ordinal)))
        {
            var conditions = JsonNode.Parse(write.Body)!["status"]!["conditions"]!.AsArray();
            Assert.Equal("True", (string?)conditions.Single(c => (string?)c!["type"] == "Ready")!["status"]);
        }
    }

    [Fact]
    public async Task A_410_Gone_on_the_watch_leads_to_a_relist_and_later_changes_still_arrive()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var running = await env.StartOperatorAsync();
        await env.CreateDomainAsync("before", OperatorEnvironment.Spec("before.example"));
        await env.WaitForReadyAsync("before");
        var lists = running.Elector.Current!.DomainLists;

        env.Api.ExpireHistory();
        await OperatorEnvironment.EventuallyAsync(() => Task.FromResult(running.Elector.Current!.DomainLists > lists ? "relisted" : null), TimeSpan.FromSeconds(10), "a relist");
        Assert.True(env.Api.GoneAnswers > 0);

        await env.CreateDomainAsync("after", OperatorEnvironment.Spec("after.example"));
        await env.WaitForReadyAsync("after");
        Assert.NotNull((await env.PublishedSnapshotAsync())!.FindDomain("after.example"));
    }

    [Fact]
    public async Task Of_two_replicas_only_the_leader_writes_and_the_other_takes_over_when_it_dies()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var a = await env.StartOperatorAsync("replica-a");
        var b = await env.StartOperatorAsync("replica-b");
        await env.CreateDomainAsync("one", OperatorEnvironment.Spec("one.example"));
        await env.WaitForReadyAsync("one");

        var lease = env.Api.Get("leases", "postroom-system", "postroom-operator")!;
        var leader = (string)lease["spec"]!["holderIdentity"]!;
        var (leaderReplica, follower) = leader == "replica-a" ? (a, b) : (b, a);
        Assert.True(leaderReplica.Elector.IsLeader);
        Assert.False(follower.Elector.IsLeader);
        var writers = OperatorWrites(env).Select(r => r.Identity).Distinct().ToList();
        Assert.Equal([leader], writers);

        await leaderReplica.KillAsync();
        await env.CreateDomainAsync("two", OperatorEnvironment.Spec("two.example"));
        await env.WaitForReadyAsync("two", timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(follower.Identity, (string)env.Api.Get("leases", "postroom-system", "postroom-operator")!["spec"]!["holderIdentity"]!);
        Assert.Contains(OperatorWrites(env), r => r.Identity == follower.Identity && r.Path.Contains("/maildomains/two", StringComparison.Ordinal));
    }

    /// <summary>Writes by operators (not the test) to anything but the Lease.</summary>
    private static List<FakeApi.RecordedRequest> OperatorWrites(OperatorEnvironment env) =>
        env.Api.Requests.Where(r => r.Identity != "test" && !r.Path.Contains("/leases", StringComparison.Ordinal)).ToList();
}
