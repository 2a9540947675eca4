using System.Text.Json.Serialization;

namespace Postroom.Config.Snapshot;

/// <summary>Where one copy of a message goes: a local mailbox or a remote address.</summary>
/// <param name="Kind">Local mailbox or remote forward.</param>
/// <param name="Address">For a local target the user's canonical <c>name@domain</c>; for a remote one the address as configured (normalised).</param>
/// <param name="Extension">The address extension that reached the target (<c>tag</c> of <c>jane+tag</c>), kept for later use such as folder delivery.</param>
public sealed record DeliveryTarget(
    [property: JsonPropertyName("kind")] DeliveryTargetKind Kind,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("extension")] string? Extension = null)
{
    public static DeliveryTarget Local(string address, string? extension = null) => new(DeliveryTargetKind.Local, address, extension);

    public static DeliveryTarget Remote(string address) => new(DeliveryTargetKind.Remote, address);

    public override string ToString() => Extension is null ? $"{Kind}:{Address}" : $"{Kind}:{Address} (+{Extension})";
}

[JsonConverter(typeof(JsonStringEnumConverter<DeliveryTargetKind>))]
public enum DeliveryTargetKind
{
    Local,
    Remote,
}
