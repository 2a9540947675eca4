using k8s.Models;
using Postroom.Config.Compilation;
using Postroom.Config.Model;
using Postroom.Operator.Reconciliation;

namespace Postroom.Operator.Tests;

/// <summary>The pure parts: planning with last good specs, conditions and DNS records.</summary>
public sealed class PlannerTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_rejected_generation_is_replaced_by_its_last_good_spec_with_the_secret_values_it_had()
    {
        var spec = OperatorEnvironment.Spec("lg.example", new MailUserSpec { Name = "jane", PasswordSecretRef = new SecretKeyRef { Name = "pw", Key = "jane" } });
        var good = Resource("lg", spec, generation: 1);
        var secrets = new InMemorySecretSource().Add("mail", "pw", new Dictionary<string, string> { ["jane"] = Hashes.Jane });
        var first = ConfigPlanner.Plan([good], secrets, new Dictionary<string, LastGoodSpec>(), new HashSet<string>());
        Assert.True(first.Resources.Single().Current.Accepted);

        // Generation 2 is invalid and the Secret is gone: generation 1 serves, with the hash it had.
        var bad = Resource("lg", new MailDomainSpec { Domain = "lg.example", Users = [new MailUserSpec { Name = "bad name" }] }, generation: 2);
        var second = ConfigPlanner.Plan([bad], InMemorySecretSource.Empty, first.LastGood, new HashSet<string>());

        var plan = second.Resources.Single();
        Assert.False(plan.Current.Accepted);
        Assert.True(plan.ServingLastGood);
        Assert.Equal(1, plan.ServingGeneration);
        Assert.Equal(Hashes.Jane, second.Snapshot.FindUser("jane@lg.example")!.User.PasswordHash);
        Assert.Equal(first.Snapshot.Version, second.Snapshot.Version);
        Assert.Equal(1, second.LastGood["mail/lg"].Generation);
    }

    [Fact]
    public void Last_good_specs_of_another_object_with_the_same_name_are_not_used()
    {
        var good = Resource("x", OperatorEnvironment.Spec("x.example"), generation: 1);
        var plan = ConfigPlanner.Plan([good], InMemorySecretSource.Empty, new Dictionary<string, LastGoodSpec>(), new HashSet<string>());
        var recreated = Resource("x", new MailDomainSpec { Domain = "x.example" }, generation: 1);
        recreated.Metadata.Uid = "another-uid";

        var next = ConfigPlanner.Plan([recreated], InMemorySecretSource.Empty, plan.LastGood, new HashSet<string>());

        Assert.False(next.Resources.Single().ServingLastGood);
        Assert.Null(next.Snapshot.FindDomain("x.example"));
        Assert.Empty(next.LastGood);
    }

    [Fact]
    public void LastTransitionTime_moves_only_when_the_status_flips_and_events_only_when_the_story_changes()
    {
        var resource = Resource("c", OperatorEnvironment.Spec("c.example"), generation: 1);
        var plan = ConfigPlanner.Plan([resource], InMemorySecretSource.Empty, new Dictionary<string, LastGoodSpec>(), new HashSet<string>()).Resources.Single();

        var first = StatusBuilder.Decide(plan, null, "v1", "mx.test", T0);
        Assert.True(first.Changed);
        Assert.NotNull(first.Event);

        var again = StatusBuilder.Decide(plan, first.Status, "v1", "mx.test", T0.AddMinutes(5));
        Assert.False(again.Changed);
        Assert.Null(again.Event);

        var newVersion = StatusBuilder.Decide(plan, first.Status, "v2", "mx.test", T0.AddMinutes(5));
        Assert.True(newVersion.Changed);
        Assert.Null(newVersion.Event);
        Assert.Equal(T0, Conditions.Find(newVersion.Status.Conditions, "Ready")!.LastTransitionTime);

        var rejected = plan with { Current = plan.Current with { Accepted = false, Errors = [new ConfigError("mail/c", "spec.domain", ConfigErrorReasons.InvalidSpec, "bad")] } };
        var flipped = StatusBuilder.Decide(rejected, first.Status, "v2", "mx.test", T0.AddMinutes(10));
        Assert.Equal(T0.AddMinutes(10), Conditions.Find(flipped.Status.Conditions, "Ready")!.LastTransitionTime);
        Assert.Equal("Warning", flipped.Event!.Type);
        Assert.Contains("spec.domain: bad", flipped.Event.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dns_records_cover_alias_domains_and_rfc6186_services()
    {
        var records = DnsRecords.For("a.example", ["b.example"], "mx.test").Select(r => $"{r.Name} {r.Type} {r.Value}").ToList();

        Assert.Contains("b.example. MX 10 mx.test.", records);
        Assert.Contains("_dmarc.b.example. TXT v=DMARC1; p=quarantine", records);
        Assert.Equal(5, records.Count(r => r.Contains(" SRV ", StringComparison.Ordinal)));
        Assert.DoesNotContain(records, r => r.StartsWith("_imap._tcp.b.example", StringComparison.Ordinal));
    }

    private static MailDomain Resource(string name, MailDomainSpec spec, long generation) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "mail", Uid = "uid-" + name, Generation = generation, CreationTimestamp = T0 },
        Spec = spec,
    };
}
