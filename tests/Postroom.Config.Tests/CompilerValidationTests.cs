using Postroom.Config.Compilation;

namespace Postroom.Config.Tests;

/// <summary>Invalid resources are refused with errors that name the resource, the field and the reason.</summary>
public sealed class CompilerValidationTests
{
    private static ConfigError SingleError(CompileResult result) => Assert.Single(result.Errors);

    [Fact]
    public void Missing_postmaster_is_refused()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: nopm, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: jane, password: HASH }]
            """);

        var error = SingleError(result);
        Assert.Equal("mail/nopm", error.Resource);
        Assert.Equal("spec.users", error.Field);
        Assert.Contains("postmaster", error.Message, StringComparison.Ordinal);
        Assert.False(result.Snapshot.IsHostedDomain("example.com"));
    }

    [Fact]
    public void Postmaster_may_be_an_alias()
    {
        TestConfig.CompileValid("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: pm, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: jane, password: HASH }]
              aliases: [{ address: Postmaster, targets: [jane] }]
            """);
    }

    [Fact]
    public void Domain_claimed_twice_goes_to_the_older_resource()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: newer, namespace: team-b, creationTimestamp: "2026-02-01T00:00:00Z" }
            spec:
              domain: example.com
              users: [{ name: postmaster, password: HASH }, { name: intruder, password: HASH }]
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: older, namespace: team-a, creationTimestamp: "2026-01-01T00:00:00Z" }
            spec:
              domain: EXAMPLE.com
              users: [{ name: postmaster, password: HASH }]
            """);

        var error = SingleError(result);
        Assert.Equal("team-b/newer", error.Resource);
        Assert.Equal("spec.domain", error.Field);
        Assert.Equal(ConfigErrorReasons.DomainConflict, error.Reason);
        Assert.Contains("team-a/older", error.Message, StringComparison.Ordinal);
        Assert.True(result.For("team-a/older")!.Accepted);
        Assert.False(result.For("team-b/newer")!.Accepted);
        Assert.Equal(Snapshot.ResolutionKind.NoSuchUser, ResolutionKindOf(result, "intruder@example.com"));
    }

    [Fact]
    public void Alias_domain_that_another_resource_owns_is_a_conflict()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: a, namespace: mail, creationTimestamp: "2026-01-01T00:00:00Z" }
            spec:
              domain: example.com
              users: [{ name: postmaster, password: HASH }]
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: b, namespace: mail, creationTimestamp: "2026-01-02T00:00:00Z" }
            spec:
              domain: example.org
              aliasDomains: [other.example, example.com]
              users: [{ name: postmaster, password: HASH }]
            """);

        var error = SingleError(result);
        Assert.Equal(("mail/b", "spec.aliasDomains[1]", ConfigErrorReasons.DomainConflict), (error.Resource, error.Field, error.Reason));
        Assert.False(result.Snapshot.IsHostedDomain("example.org"));
    }

    [Fact]
    public void An_invalid_older_resource_keeps_its_domain()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: old, namespace: mail, creationTimestamp: "2026-01-01T00:00:00Z" }
            spec:
              domain: example.com
              users: [{ name: postmaster, password: "not-a-hash" }]
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: new, namespace: mail, creationTimestamp: "2026-01-02T00:00:00Z" }
            spec:
              domain: example.com
              users: [{ name: postmaster, password: HASH }]
            """);

        Assert.Equal(2, result.Errors.Count);
        Assert.Equal(ConfigErrorReasons.DomainConflict, result.For("mail/new")!.Errors.Single().Reason);
        Assert.False(result.Snapshot.IsHostedDomain("example.com"));
    }

    [Fact]
    public void Alias_cycle_is_refused_naming_the_path()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: loop, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: postmaster, password: HASH }]
              aliases:
                - { address: a, targets: [postmaster, b] }
                - { address: b, targets: [c] }
                - { address: c, targets: ["A@example.com"] }
            """);

        var error = SingleError(result);
        Assert.Equal("mail/loop", error.Resource);
        Assert.Equal("spec.aliases[2].targets[0]", error.Field);
        Assert.Equal("alias cycle: a@example.com -> b@example.com -> c@example.com -> a@example.com", error.Message);
        Assert.False(result.Snapshot.IsHostedDomain("example.com"));
    }

    [Fact]
    public void Alias_cycle_across_domains_is_refused()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: one, namespace: mail }
            spec:
              domain: one.example
              users: [{ name: postmaster, password: HASH }]
              aliases: [{ address: x, targets: ["y@two.example"] }]
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: two, namespace: mail }
            spec:
              domain: two.example
              users: [{ name: postmaster, password: HASH }]
              aliases: [{ address: y, targets: ["x@one.example"] }]
            """);

        var error = SingleError(result);
        Assert.Contains("alias cycle", error.Message, StringComparison.Ordinal);
        Assert.Single(result.Resources, r => r.Accepted);
    }

    [Fact]
    public void Self_alias_is_a_cycle()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: self, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: postmaster, password: HASH }]
              aliases: [{ address: me, targets: [me] }]
            """);

        Assert.Equal("alias cycle: me@example.com -> me@example.com", SingleError(result).Message);
    }

    [Fact]
    public void Every_error_is_reported_with_its_field_path()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: broken, namespace: mail }
            spec:
              domain: "exa mple.com"
              aliasDomains: ["[10.0.0.1]"]
              extensionDelimiters: ["++", "@"]
              users:
                - { name: postmaster, password: HASH }
                - { name: "jane doe", password: HASH }
                - { name: bob, password: HASH }
                - { name: BOB, password: HASH }
                - { name: carol, password: "{PLAIN}secret" }
                - { name: dave }
                - { name: erin, password: HASH, protocols: [imap, smtp, ftp], quota: "-1Gi" }
                - { name: frank, passwordSecretRef: { name: missing, key: pw } }
              aliases:
                - { address: bob, targets: [postmaster] }
                - { address: empty, targets: [] }
                - { address: lost, targets: [nobody, "bad address@x.example"] }
              catchAll: { action: bounce }
              limits: { maxMessageSize: 0 }
              outbound: { host: smtp.relay.example, port: 70000, tls: sometimes }
              reclaimPolicy: Destroy
            """);

        var fields = result.Errors.Select(e => $"{e.Field} [{e.Reason}]").ToList();
        Assert.Equal(
            [
                "spec.domain [InvalidSpec]",
                "spec.aliasDomains[0] [InvalidSpec]",
                "spec.extensionDelimiters[0] [InvalidSpec]",
                "spec.extensionDelimiters[1] [InvalidSpec]",
                "spec.users[1].name [InvalidSpec]",
                "spec.users[3].name [InvalidSpec]",
                "spec.users[4].password [InvalidSpec]",
                "spec.users[5].password [InvalidSpec]",
                "spec.users[6].quota [InvalidSpec]",
                "spec.users[6].protocols[2] [InvalidSpec]",
                "spec.users[7].passwordSecretRef.name [SecretNotFound]",
                "spec.aliases[0].address [InvalidSpec]",
                "spec.aliases[1].targets [InvalidSpec]",
                "spec.catchAll.action [InvalidSpec]",
                "spec.limits.maxMessageSize [InvalidSpec]",
                "spec.outbound.port [InvalidSpec]",
                "spec.outbound.tls [InvalidSpec]",
                "spec.reclaimPolicy [InvalidSpec]",
            ],
            fields);
        Assert.All(result.Errors, e => Assert.Equal("mail/broken", e.Resource));
        Assert.Contains(result.Errors, e => e.Message.Contains("plaintext", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Alias_targets_must_exist()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: t, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: postmaster, password: HASH }]
              aliases: [{ address: lost, targets: [postmaster, nobody, "bad address@x.example"] }]
            """);

        Assert.Equal(
            ["spec.aliases[0].targets[1]", "spec.aliases[0].targets[2]"],
            result.Errors.Select(e => e.Field));
        Assert.Contains("'nobody@example.com' is not a user or alias of example.com", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_resource_does_not_take_the_others_down()
    {
        var result = TestConfig.Compile("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: good, namespace: mail }
            spec:
              domain: good.example
              users: [{ name: postmaster, password: HASH }]
              aliases: [{ address: fwd, targets: ["someone@bad.example"] }]
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: bad, namespace: mail }
            spec:
              domain: bad.example
              users: [{ name: postmaster, password: HASH }]
              aliases: [{ address: someone, targets: [nobody] }]
            """);

        Assert.Equal("mail/bad", SingleError(result).Resource);
        Assert.True(result.Snapshot.IsHostedDomain("good.example"));
        Assert.False(result.Snapshot.IsHostedDomain("bad.example"));
        // With bad.example gone, the forward is an ordinary remote address.
        Assert.Equal("Remote:someone@bad.example", string.Join(",", result.Snapshot.Resolve("fwd@good.example").Targets));
    }

    [Fact]
    public void Passwords_and_credentials_come_from_secrets()
    {
        var result = TestConfig.CompileValid("""
            apiVersion: v1
            kind: Secret
            metadata: { name: creds, namespace: mail }
            stringData:
              pm: HASH
              username: relay-user
              password: relay-pass
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: s, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: postmaster, passwordSecretRef: { name: creds, key: pm } }]
              outbound:
                host: smtp.relay.example
                implicitTls: true
                credentialsSecretRef: { name: creds }
            """);

        var domain = Assert.Single(result.Snapshot.Domains);
        Assert.Equal(TestConfig.Hash, domain.Users[0].PasswordHash);
        Assert.Equal(("smtp.relay.example", 465, true, "relay-user", "relay-pass"),
            (domain.Outbound!.Host, domain.Outbound.Port, domain.Outbound.ImplicitTls, domain.Outbound.Username, domain.Outbound.Password));
    }

    [Fact]
    public void Secret_in_another_namespace_is_not_found()
    {
        var result = TestConfig.Compile("""
            apiVersion: v1
            kind: Secret
            metadata: { name: creds, namespace: other }
            stringData: { pm: HASH }
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: s, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: postmaster, passwordSecretRef: { name: creds, key: pm } }]
            """);

        Assert.Equal(ConfigErrorReasons.SecretNotFound, SingleError(result).Reason);
    }

    [Fact]
    public void Missing_secret_key_is_reported_on_the_key()
    {
        var result = TestConfig.Compile("""
            apiVersion: v1
            kind: Secret
            metadata: { name: creds, namespace: mail }
            stringData: { other: HASH }
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: s, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: postmaster, passwordSecretRef: { name: creds, key: pm } }]
            """);

        var error = SingleError(result);
        Assert.Equal(("spec.users[0].passwordSecretRef.key", ConfigErrorReasons.SecretNotFound), (error.Field, error.Reason));
    }

    [Fact]
    public void Credentials_are_never_sent_in_clear()
    {
        var result = TestConfig.Compile("""
            apiVersion: v1
            kind: Secret
            metadata: { name: creds, namespace: mail }
            stringData: { username: u, password: p }
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: s, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: postmaster, password: HASH }]
              outbound: { host: relay.example, tls: none, credentialsSecretRef: { name: creds } }
            """);

        Assert.Equal("spec.outbound.tls", SingleError(result).Field);
    }

    private static Snapshot.ResolutionKind ResolutionKindOf(CompileResult result, string address) =>
        result.Snapshot.Resolve(address).Kind;
}
