using Postroom.Config.Snapshot;

namespace Postroom.Config.Tests;

public sealed class SnapshotTests
{
    private const string Yaml = """
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: example, namespace: mail }
        spec:
          domain: example.com
          users:
            - { name: postmaster, password: HASH }
            - { name: jane, password: HASH, protocols: [imap], quota: 2Gi }
            - { name: retired, password: HASH, enabled: false }
          aliases: [{ address: sales, targets: [jane, "x@remote.example"] }]
          catchAll: { action: discard }
          limits: { maxMessageSize: 25Mi }
        """;

    [Fact]
    public void Equal_configurations_have_equal_versions()
    {
        var first = TestConfig.CompileValid(Yaml).Snapshot;
        var second = TestConfig.CompileValid(Yaml).Snapshot;

        Assert.Equal(first.Version, second.Version);
        Assert.Matches("^[0-9a-f]{16}$", first.Version);
    }

    [Fact]
    public void Any_change_changes_the_version()
    {
        var first = TestConfig.CompileValid(Yaml).Snapshot;
        var changed = TestConfig.CompileValid(Yaml.Replace("2Gi", "3Gi", StringComparison.Ordinal)).Snapshot;

        Assert.NotEqual(first.Version, changed.Version);
    }

    [Fact]
    public void Round_trips_through_json_with_the_same_version_and_answers()
    {
        var snapshot = TestConfig.CompileValid(Yaml).Snapshot;

        var loaded = ConfigSnapshot.FromJson(snapshot.Json);

        Assert.Equal(snapshot.Version, loaded.Version);
        Assert.Equal(snapshot.Json, loaded.Json);
        Assert.Equal(ResolutionKind.Discard, loaded.Resolve("anyone@example.com").Kind);
        Assert.Equal(2L * 1024 * 1024 * 1024, loaded.FindUser("jane@example.com")!.User.QuotaBytes);
        Assert.Equal(25L * 1024 * 1024, loaded.FindDomain("EXAMPLE.com")!.MaxMessageSize);
        Assert.Equal(MailProtocols.Imap, loaded.FindUser("jane@example.com")!.User.Protocols);
    }

    [Fact]
    public void Empty_snapshot_hosts_nothing()
    {
        Assert.False(ConfigSnapshot.Empty.IsHostedDomain("example.com"));
        Assert.Equal(ResolutionKind.NotHosted, ConfigSnapshot.Empty.Resolve("a@example.com").Kind);
    }

    [Fact]
    public void Authenticates_users_with_protocol_and_state_checks()
    {
        var snapshot = TestConfig.CompileValid(Yaml).Snapshot;

        Assert.True(snapshot.Authenticate("jane@example.com", "jane-password", MailProtocols.Imap).Succeeded);
        Assert.Equal(AuthenticationOutcome.InvalidCredentials, snapshot.Authenticate("jane@example.com", "wrong", MailProtocols.Imap).Outcome);
        Assert.Equal(AuthenticationOutcome.ProtocolNotAllowed, snapshot.Authenticate("jane@example.com", "jane-password", MailProtocols.Pop3).Outcome);
        Assert.Equal(AuthenticationOutcome.Disabled, snapshot.Authenticate("retired@example.com", "jane-password", MailProtocols.Imap).Outcome);
        Assert.Equal(AuthenticationOutcome.InvalidCredentials, snapshot.Authenticate("nobody@example.com", "jane-password", MailProtocols.Imap).Outcome);
        Assert.Equal(AuthenticationOutcome.InvalidCredentials, snapshot.Authenticate("sales@example.com", "jane-password", MailProtocols.Imap).Outcome);
    }
}
