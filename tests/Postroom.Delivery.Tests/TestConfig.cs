using Postroom.Config.Compilation;
using Postroom.Config.Loading;
using Postroom.Config.Snapshot;

namespace Postroom.Delivery.Tests;

/// <summary>Compiles MailDomain YAML written inline in a test into a snapshot, the way the operator does.</summary>
internal static class TestConfig
{
    /// <summary>A valid Argon2id hash (of "jane-password"); delivery never checks it.</summary>
    private const string Hash = "$argon2id$v=19$m=32768,t=2,p=1$TmNMU0c4ME5qRTg4U1dT$qTIjFRMaXfIFG6yKgvwg4oEHUa/TgymLzZZa+Aa5aM4";

    /// <summary>example.com: jane, john, a disabled user, a tiny quota, aliases local and remote; example.org discards unknown addresses.</summary>
    public const string Yaml = """
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: example-com, namespace: mail }
        spec:
          domain: example.com
          aliasDomains: [example.net]
          users:
            - { name: postmaster, password: HASH }
            - { name: jane, password: HASH }
            - { name: john, password: HASH }
            - { name: gone, password: HASH, enabled: false }
            - { name: tiny, password: HASH, quota: 1Ki }
          aliases:
            - { address: sales, targets: [jane, john] }
            - { address: backup, targets: [jane, john, "archive@backup.example.org"] }
            - { address: forward, targets: ["jeff@other.example"] }
            - { address: self, targets: [jane, "jane@example.com"] }
          extensionDelimiters: ["+"]
        ---
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: example-org, namespace: mail }
        spec:
          domain: example.org
          users:
            - { name: postmaster, password: HASH }
            - { name: ann, password: HASH }
          catchAll: { action: discard }
        """;

    public static ConfigSnapshot Snapshot(string yaml = Yaml)
    {
        var loaded = MailDomainYamlLoader.Load("test.yaml", yaml.Replace("HASH", $"\"{Hash}\"", StringComparison.Ordinal));
        Assert.Empty(loaded.Errors);
        var result = ConfigCompiler.Compile(loaded.MailDomains, loaded.Secrets);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Snapshot;
    }
}
