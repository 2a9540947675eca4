using System.Text.Json.Serialization;
using k8s.Models;

namespace Postroom.Config.Model;

/// <summary>Per-domain limits; the stricter of these and the listener's limits applies.</summary>
public sealed class DomainLimitsSpec
{
    /// <summary>Largest message accepted for this domain, a quantity such as <c>25Mi</c> (qmail's databytes).</summary>
    [JsonPropertyName("maxMessageSize")]
    public ResourceQuantity? MaxMessageSize { get; set; }
}
