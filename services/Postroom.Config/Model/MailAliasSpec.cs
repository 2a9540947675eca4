using System.Text.Json.Serialization;

namespace Postroom.Config.Model;

/// <summary>An address that delivers to one or more targets (qmail's .qmail files, Postfix's virtual aliases).</summary>
public sealed class MailAliasSpec
{
    /// <summary>The local part, e.g. <c>sales</c>; <c>sales-default</c> catches <c>sales-anything</c>.</summary>
    [JsonPropertyName("address")]
    public string? Address { get; set; }

    /// <summary>Local parts of this domain (users or aliases) or full addresses, local or remote, mixed freely.</summary>
    [JsonPropertyName("targets")]
    public List<string>? Targets { get; set; }
}
