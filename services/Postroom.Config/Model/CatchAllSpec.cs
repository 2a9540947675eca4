using System.Text.Json.Serialization;

namespace Postroom.Config.Model;

/// <summary>What to do with mail for an unknown local part of the domain.</summary>
public sealed class CatchAllSpec
{
    /// <summary><c>reject</c> (default, <c>550 5.1.1</c> at RCPT), <c>deliver</c> to <see cref="Target"/>, or <c>discard</c>.</summary>
    [JsonPropertyName("action")]
    public string? Action { get; set; }

    /// <summary>With <c>deliver</c>: a local user or alias of this domain, or a full address.</summary>
    [JsonPropertyName("target")]
    public string? Target { get; set; }
}

/// <summary>Catch-all actions as they appear in the resource.</summary>
public static class CatchAllActions
{
    public const string Reject = "reject";
    public const string Deliver = "deliver";
    public const string Discard = "discard";
}
