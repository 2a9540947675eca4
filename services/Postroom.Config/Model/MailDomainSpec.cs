using System.Text.Json.Serialization;

namespace Postroom.Config.Model;

/// <summary>The desired state of one hosted domain.</summary>
public sealed class MailDomainSpec
{
    /// <summary>The domain, e.g. <c>example.com</c>. Internationalised names are stored in their A-label form.</summary>
    [JsonPropertyName("domain")]
    public string? Domain { get; set; }

    /// <summary>Domains that are the same as <see cref="Domain"/>: <c>x@alias.example</c> is <c>x@example.com</c> (vpopmail's vaddaliasdomain).</summary>
    [JsonPropertyName("aliasDomains")]
    public List<string>? AliasDomains { get; set; }

    [JsonPropertyName("users")]
    public List<MailUserSpec>? Users { get; set; }

    [JsonPropertyName("aliases")]
    public List<MailAliasSpec>? Aliases { get; set; }

    /// <summary>
    /// Characters that separate a local part from its extension (<c>user+tag</c>, <c>user-tag</c>).
    /// Null means the default <c>["+", "-"]</c>; an empty list disables extensions.
    /// </summary>
    [JsonPropertyName("extensionDelimiters")]
    public List<string>? ExtensionDelimiters { get; set; }

    [JsonPropertyName("catchAll")]
    public CatchAllSpec? CatchAll { get; set; }

    [JsonPropertyName("limits")]
    public DomainLimitsSpec? Limits { get; set; }

    [JsonPropertyName("outbound")]
    public OutboundSpec? Outbound { get; set; }

    /// <summary>What happens to the domain's mailboxes when the resource is deleted: <c>Retain</c> (default) or <c>Delete</c>.</summary>
    [JsonPropertyName("reclaimPolicy")]
    public string? ReclaimPolicy { get; set; }
}
