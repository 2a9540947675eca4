using System.Text.Json.Serialization;

namespace Postroom.Config.Model;

/// <summary>
/// A smarthost for mail sent by this domain's users (Postfix's sender_dependent_relayhost_maps with
/// smtp_sasl_password_maps and smtp_tls_policy_maps).
/// </summary>
public sealed class OutboundSpec
{
    [JsonPropertyName("host")]
    public string? Host { get; set; }

    /// <summary>Default 587, or 465 with <see cref="ImplicitTls"/>.</summary>
    [JsonPropertyName("port")]
    public int? Port { get; set; }

    /// <summary><c>none</c>, <c>opportunistic</c>, <c>required</c> (default) or <c>verify</c> (chain and name checked).</summary>
    [JsonPropertyName("tls")]
    public string? Tls { get; set; }

    /// <summary>TLS from the first byte, as on port 465 (Postfix's smtp_tls_wrappermode).</summary>
    [JsonPropertyName("implicitTls")]
    public bool? ImplicitTls { get; set; }

    /// <summary>A Secret with the SASL username and password for the smarthost.</summary>
    [JsonPropertyName("credentialsSecretRef")]
    public CredentialsSecretRef? CredentialsSecretRef { get; set; }
}

/// <summary>TLS policies for outbound connections.</summary>
public static class TlsPolicies
{
    public const string None = "none";
    public const string Opportunistic = "opportunistic";
    public const string Required = "required";
    public const string Verify = "verify";
}
