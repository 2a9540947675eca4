using System.Text.Json.Serialization;

namespace Postroom.Config.Snapshot;

/// <summary>
/// The serialisable output of the compiler: every accepted domain with its aliases already expanded to final
/// targets. Collections are sorted so that equal configurations serialise to equal bytes, which is what the
/// snapshot's content-hash version relies on. This is what the operator publishes to Redis.
/// </summary>
/// <remarks>Outbound smarthost credentials are carried in clear: the delivery worker needs them to AUTH.
/// The snapshot therefore belongs in a Redis that only Postroom's services can read.</remarks>
public sealed record CompiledConfig(
    [property: JsonPropertyName("domains")] IReadOnlyList<CompiledDomain> Domains);

public sealed record CompiledDomain(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("aliasDomains")] IReadOnlyList<string> AliasDomains,
    [property: JsonPropertyName("extensionDelimiters")] string ExtensionDelimiters,
    [property: JsonPropertyName("catchAll")] CompiledCatchAll CatchAll,
    [property: JsonPropertyName("maxMessageSize")] long? MaxMessageSize,
    [property: JsonPropertyName("users")] IReadOnlyList<CompiledUser> Users,
    [property: JsonPropertyName("aliases")] IReadOnlyList<CompiledAlias> Aliases,
    [property: JsonPropertyName("outbound")] CompiledOutbound? Outbound,
    [property: JsonPropertyName("reclaimPolicy")] ReclaimPolicy ReclaimPolicy);

public sealed record CompiledUser(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("displayName")] string? DisplayName,
    [property: JsonPropertyName("passwordHash")] string PasswordHash,
    [property: JsonPropertyName("quota")] long? QuotaBytes,
    [property: JsonPropertyName("protocols")] MailProtocols Protocols,
    [property: JsonPropertyName("enabled")] bool Enabled);

/// <summary>An alias with its targets expanded through other aliases, extensions and domains.</summary>
public sealed record CompiledAlias(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("targets")] IReadOnlyList<DeliveryTarget> Targets);

/// <summary>The catch-all with its target already expanded (empty for reject and discard).</summary>
public sealed record CompiledCatchAll(
    [property: JsonPropertyName("action")] CatchAllAction Action,
    [property: JsonPropertyName("targets")] IReadOnlyList<DeliveryTarget> Targets);

public sealed record CompiledOutbound(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("tls")] TlsPolicy Tls,
    [property: JsonPropertyName("implicitTls")] bool ImplicitTls,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password);

[JsonConverter(typeof(JsonStringEnumConverter<CatchAllAction>))]
public enum CatchAllAction
{
    Reject,
    Deliver,
    Discard,
}

[JsonConverter(typeof(JsonStringEnumConverter<TlsPolicy>))]
public enum TlsPolicy
{
    None,
    Opportunistic,
    Required,
    Verify,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReclaimPolicy>))]
public enum ReclaimPolicy
{
    Retain,
    Delete,
}

/// <summary>Services a user may log in to.</summary>
[Flags]
[JsonConverter(typeof(JsonStringEnumConverter<MailProtocols>))]
public enum MailProtocols
{
    None = 0,
    Smtp = 1,
    Imap = 2,
    Pop3 = 4,
    All = Smtp | Imap | Pop3,
}
