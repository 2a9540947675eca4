using Postroom.Config.Model;
using Postroom.Operator.Reconciliation;

namespace Postroom.Operator.Tests;

/// <summary>Create, update, invalid specs and conflicts against the fake API server and a real redis-server.</summary>
public sealed class ReconcileTests
{
    [Fact]
    public async Task Create_publishes_the_snapshot_and_reports_Ready_with_counts_and_dns_records()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.StartOperatorAsync();
        await env.CreateDomainAsync("shop", OperatorEnvironment.Spec("shop.example", new MailUserSpec { Name = "jane", Password = Hashes.Jane }));

        var domain = await env.WaitForReadyAsync("shop");

        var status = domain.Status!;
        Assert.Equal(1, status.ObservedGeneration);
        Assert.All(status.Conditions!, c => Assert.Equal(1, c.ObservedGeneration));
        Assert.Equal("Published", status.Conditions!.Single(c => c.Type == "Ready").Reason);
        Assert.Equal("False", status.Conditions!.Single(c => c.Type == "Degraded").Status);
        Assert.Equal(2, status.Users);
        Assert.Equal(1, status.Aliases);
        Assert.Contains(MailDomainReconciler.Finalizer, domain.Metadata.Finalizers!);

        var version = await env.PublishedVersionAsync();
        Assert.Equal(version, status.SnapshotVersion);
        var snapshot = await env.PublishedSnapshotAsync();
        Assert.NotNull(snapshot!.FindDomain("shop.example"));
        Assert.Equal(version, snapshot.Version);

        var records = status.DnsRecords!.Select(r => $"{r.Name} {r.Type} {r.Value}").ToList();
        Assert.Contains("shop.example. MX 10 mx.postroom.test.", records);
        Assert.Contains("shop.example. TXT v=spf1 mx -all", records);
        Assert.Contains("_dmarc.shop.example. TXT v=DMARC1; p=quarantine", records);
        Assert.Contains("_submission._tcp.shop.example. SRV 0 1 587 mx.postroom.test.", records);
        Assert.Contains("_imap._tcp.shop.example. SRV 0 1 143 mx.postroom.test.", records);
        Assert.Contains("_imaps._tcp.shop.example. SRV 0 1 993 mx.postroom.test.", records);
        Assert.Contains("_pop3._tcp.shop.example. SRV 0 1 110 mx.postroom.test.", records);
        Assert.Contains("_pop3s._tcp.shop.example. SRV 0 1 995 mx.postroom.test.", records);

        var published = Assert.Single(env.EventsFor("shop"));
        Assert.Equal("Published", published.Reason);
        Assert.Equal("Normal", published.Type);
    }

    [Fact]
    public async Task Invalid_spec_is_Degraded_with_the_field_path_and_the_last_good_generation_keeps_serving_across_restarts()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var first = await env.StartOperatorAsync();
        await env.CreateDomainAsync("shop", OperatorEnvironment.Spec("shop.example", new MailUserSpec { Name = "jane", Password = Hashes.Jane }));
        await env.WaitForReadyAsync("shop");
        var goodVersion = await env.PublishedVersionAsync();

        await env.PatchSpecAsync("shop", """{"spec":{"users":[{"name":"postmaster","password":"not-a-hash"},{"name":"jane","password":"x"}]}}""");
        var degraded = await env.WaitForReadyAsync("shop", "False");

        var ready = degraded.Status!.Conditions!.Single(c => c.Type == "Ready");
        var degradedCondition = degraded.Status.Conditions!.Single(c => c.Type == "Degraded");
        Assert.Equal("InvalidSpec", ready.Reason);
        Assert.Equal("True", degradedCondition.Status);
        Assert.Equal(2, degradedCondition.ObservedGeneration);
        Assert.Contains("spec.users[0].password", ready.Message, StringComparison.Ordinal);
        Assert.Contains("generation 1 keeps serving", ready.Message, StringComparison.Ordinal);
        Assert.Equal(goodVersion, await env.PublishedVersionAsync());
        Assert.NotNull((await env.PublishedSnapshotAsync())!.FindUser("jane@shop.example"));
        Assert.Contains(env.EventsFor("shop"), e => e.Reason == "InvalidSpec" && e.Type == "Warning");

        // A new operator has no memory of generation 1 but finds it in Redis: the domain stays published.
        await first.KillAsync();
        await env.CreateDomainAsync("other", OperatorEnvironment.Spec("other.example"));
        await env.StartOperatorAsync("operator-1");
        await env.WaitForReadyAsync("other", timeout: TimeSpan.FromSeconds(20));
        var snapshot = (await env.PublishedSnapshotAsync())!;
        Assert.NotNull(snapshot.FindDomain("other.example"));
        Assert.NotNull(snapshot.FindUser("jane@shop.example"));
        Assert.Equal("False", env.GetDomain("shop")!.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task A_second_resource_for_the_same_domain_gets_DomainConflict_naming_the_older()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.StartOperatorAsync();
        await env.CreateDomainAsync("first", OperatorEnvironment.Spec("shared.example"));
        await env.WaitForReadyAsync("first");
        await env.CreateDomainAsync("second", OperatorEnvironment.Spec("shared.example"));

        var second = await env.WaitForReadyAsync("second", "False");

        var ready = second.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal("DomainConflict", ready.Reason);
        Assert.Contains("mail/first", ready.Message, StringComparison.Ordinal);
        Assert.Equal("True", env.GetDomain("first")!.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
        Assert.Equal("mail/first", (await env.PublishedSnapshotAsync())!.FindDomain("shared.example")!.Resource);
        Assert.Contains(env.EventsFor("second"), e => e.Reason == "DomainConflict" && e.Type == "Warning");
        Assert.Empty(second.Status.DnsRecords!);
    }
}
