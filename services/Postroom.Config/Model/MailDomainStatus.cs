using System.Text.Json.Serialization;
using k8s.Models;

namespace Postroom.Config.Model;

/// <summary>What the operator observed and published for the resource.</summary>
public sealed class MailDomainStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary><c>Ready</c> and <c>Degraded</c>, each stamped with the generation it describes.</summary>
    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("users")]
    public int? Users { get; set; }

    [JsonPropertyName("aliases")]
    public int? Aliases { get; set; }

    /// <summary>The version of the config snapshot that carries this generation.</summary>
    [JsonPropertyName("snapshotVersion")]
    public string? SnapshotVersion { get; set; }

    /// <summary>DNS records the domain needs, ready to copy into a zone.</summary>
    [JsonPropertyName("dnsRecords")]
    public List<DnsRecordStatus>? DnsRecords { get; set; }
}

/// <summary>One DNS record, in zone-file terms.</summary>
public sealed class DnsRecordStatus
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}
