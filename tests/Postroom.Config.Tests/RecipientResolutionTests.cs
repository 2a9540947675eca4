using Postroom.Config.Snapshot;

namespace Postroom.Config.Tests;

/// <summary>The qmail lookup cascade, domain aliases, multi-target aliases and catch-all modes.</summary>
public sealed class RecipientResolutionTests
{
    private const string Yaml = """
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: example, namespace: mail }
        spec:
          domain: Example.COM
          aliasDomains: [example.net, bücher.example]
          users:
            - { name: postmaster, password: HASH }
            - { name: jane, password: HASH }
            - { name: john, password: HASH }
            - { name: a, password: HASH }
            - { name: a-b, password: HASH }
            - { name: gone, password: HASH, enabled: false }
          aliases:
            - { address: sales, targets: [jane, john] }
            - { address: a-b-c, targets: [john] }
            - { address: a-x-default, targets: [jane] }
            - { address: a-default, targets: [postmaster] }
            - { address: backup, targets: [jane, "archive@backup.example.org"] }
            - { address: team, targets: [sales, "jane@EXAMPLE.com", backup] }
            - { address: forward, targets: ["jeff@other.example"] }
        """;

    private static readonly ConfigSnapshot Snapshot = TestConfig.CompileValid(Yaml).Snapshot;

    [Theory]
    [InlineData("jane@example.com", "Local:jane@example.com", null)]
    [InlineData("JANE@Example.Com", "Local:jane@example.com", null)]
    [InlineData("jane@example.net", "Local:jane@example.com", null)]
    [InlineData("jane@bücher.example", "Local:jane@example.com", null)]
    [InlineData("jane@xn--bcher-kva.example", "Local:jane@example.com", null)]
    [InlineData("jane+lists@example.com", "Local:jane@example.com (+lists)", "lists")]
    [InlineData("jane-lists@example.com", "Local:jane@example.com (+lists)", "lists")]
    [InlineData("jane+a+b@example.com", "Local:jane@example.com (+a+b)", "a+b")]
    [InlineData("sales@example.com", "Local:jane@example.com,Local:john@example.com", null)]
    [InlineData("sales+q3@example.com", "Local:jane@example.com,Local:john@example.com", "q3")]
    [InlineData("forward@example.com", "Remote:jeff@other.example", null)]
    [InlineData("backup@example.com", "Local:jane@example.com,Remote:archive@backup.example.org", null)]
    [InlineData("team@example.com", "Local:jane@example.com,Local:john@example.com,Remote:archive@backup.example.org", null)]
    public void Resolves_to_expected_targets(string address, string targets, string? extension)
    {
        var resolution = Snapshot.Resolve(address);

        Assert.Equal(ResolutionKind.Deliver, resolution.Kind);
        Assert.Equal(targets, string.Join(",", resolution.Targets));
        Assert.Equal(extension, resolution.Extension);
    }

    [Theory]
    // Exact match beats every default and prefix.
    [InlineData("a-b-c@example.com", "a-b-c", "Local:john@example.com")]
    // a-x-default (longest default) beats a-default and the user a.
    [InlineData("a-x-y@example.com", "a-x-default", "Local:jane@example.com")]
    // a-default beats the users a-b and a.
    [InlineData("a-b-d@example.com", "a-default", "Local:postmaster@example.com")]
    [InlineData("a-z@example.com", "a-default", "Local:postmaster@example.com")]
    // With no default alias, the longest user prefix wins and keeps the extension.
    [InlineData("a+b+c@example.com", "a+b+c", null)]
    public void Cascade_follows_qmail_order(string address, string matched, string? targets)
    {
        var resolution = Snapshot.Resolve(address);

        if (targets is null)
        {
            // '+' has no default aliases here: falls to the user "a" (prefix a+b is no user) with extension b+c.
            Assert.Equal("Local:a@example.com (+b+c)", string.Join(",", resolution.Targets));
            return;
        }

        Assert.Equal($"{matched}@example.com", resolution.MatchedAddress);
        Assert.Equal(targets, string.Join(",", resolution.Targets));
    }

    [Fact]
    public void User_prefix_prefers_the_longest_user()
    {
        var snapshot = TestConfig.CompileValid("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: example, namespace: mail }
            spec:
              domain: example.com
              users:
                - { name: postmaster, password: HASH }
                - { name: a, password: HASH }
                - { name: a-b, password: HASH }
            """).Snapshot;

        var resolution = snapshot.Resolve("a-b-c@example.com");

        Assert.Equal("a-b@example.com", resolution.MatchedAddress);
        Assert.Equal("c", resolution.Extension);
    }

    [Theory]
    [InlineData("nobody@example.com", ResolutionKind.NoSuchUser)]
    [InlineData("gone@example.com", ResolutionKind.MailboxDisabled)]
    [InlineData("jane@elsewhere.example", ResolutionKind.NotHosted)]
    [InlineData("no-at-sign", ResolutionKind.InvalidAddress)]
    [InlineData("\"jane\"@example.com", ResolutionKind.NoSuchUser)]
    [InlineData("jane@[127.0.0.1]", ResolutionKind.InvalidAddress)]
    [InlineData("jane%other.example@example.com", ResolutionKind.NoSuchUser)]
    public void Refuses_what_is_not_ours(string address, ResolutionKind kind)
    {
        Assert.Equal(kind, Snapshot.Resolve(address).Kind);
    }

    [Fact]
    public void Extensions_can_be_disabled()
    {
        var snapshot = TestConfig.CompileValid("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: example, namespace: mail }
            spec:
              domain: example.com
              extensionDelimiters: []
              users: [{ name: postmaster, password: HASH }, { name: jane, password: HASH }]
            """).Snapshot;

        Assert.Equal(ResolutionKind.Deliver, snapshot.Resolve("jane@example.com").Kind);
        Assert.Equal(ResolutionKind.NoSuchUser, snapshot.Resolve("jane+x@example.com").Kind);
        Assert.Equal(ResolutionKind.NoSuchUser, snapshot.Resolve("jane-x@example.com").Kind);
    }

    [Fact]
    public void Custom_delimiter_replaces_the_defaults()
    {
        var snapshot = TestConfig.CompileValid("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: example, namespace: mail }
            spec:
              domain: example.com
              extensionDelimiters: ["_"]
              users: [{ name: postmaster, password: HASH }, { name: jane, password: HASH }]
            """).Snapshot;

        Assert.Equal("x", snapshot.Resolve("jane_x@example.com").Extension);
        Assert.Equal(ResolutionKind.NoSuchUser, snapshot.Resolve("jane+x@example.com").Kind);
    }

    [Theory]
    [InlineData("reject", null, ResolutionKind.NoSuchUser, "")]
    [InlineData("discard", null, ResolutionKind.Discard, "")]
    [InlineData("deliver", "jane", ResolutionKind.Deliver, "Local:jane@example.com")]
    [InlineData("deliver", "sales", ResolutionKind.Deliver, "Local:jane@example.com,Local:postmaster@example.com")]
    [InlineData("deliver", "catch@remote.example", ResolutionKind.Deliver, "Remote:catch@remote.example")]
    public void Catch_all_modes(string action, string? target, ResolutionKind kind, string targets)
    {
        var snapshot = TestConfig.CompileValid($$"""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: example, namespace: mail }
            spec:
              domain: example.com
              users: [{ name: postmaster, password: HASH }, { name: jane, password: HASH }]
              aliases: [{ address: sales, targets: [jane, postmaster] }]
              catchAll: { action: {{action}} {{(target is null ? "" : $", target: \"{target}\"")}} }
            """).Snapshot;

        var resolution = snapshot.Resolve("unknown@example.com");

        Assert.Equal(kind, resolution.Kind);
        Assert.Equal(targets, string.Join(",", resolution.Targets));
        Assert.Equal(ResolutionKind.Deliver, snapshot.Resolve("jane@example.com").Kind);
    }

    [Fact]
    public void Aliases_resolve_across_hosted_domains()
    {
        var snapshot = TestConfig.CompileValid("""
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: one, namespace: mail }
            spec:
              domain: one.example
              users: [{ name: postmaster, password: HASH }]
              aliases: [{ address: team, targets: ["staff@two.example"] }]
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: two, namespace: mail }
            spec:
              domain: two.example
              users: [{ name: postmaster, password: HASH }, { name: bob, password: HASH }]
              aliases: [{ address: staff, targets: [bob, "postmaster@one.example"] }]
            """).Snapshot;

        Assert.Equal(
            "Local:bob@two.example,Local:postmaster@one.example",
            string.Join(",", snapshot.Resolve("team@one.example").Targets));
    }

    [Fact]
    public void Users_are_found_by_login_in_any_alias_domain()
    {
        Assert.Equal("jane@example.com", Snapshot.FindUser("Jane@example.net")?.Address);
        Assert.Null(Snapshot.FindUser("jane+x@example.com"));
        Assert.Null(Snapshot.FindUser("sales@example.com"));
        Assert.Null(Snapshot.FindUser("jane"));
    }
}
