namespace Postroom.Config.Snapshot;

/// <summary>What the configuration says about one recipient address.</summary>
public sealed record RecipientResolution(
    ResolutionKind Kind,
    IReadOnlyList<DeliveryTarget> Targets,
    string? MatchedAddress = null,
    string? Extension = null)
{
    public static readonly RecipientResolution NotHosted = new(ResolutionKind.NotHosted, []);
    public static readonly RecipientResolution NoSuchUser = new(ResolutionKind.NoSuchUser, []);
    public static readonly RecipientResolution InvalidAddress = new(ResolutionKind.InvalidAddress, []);
    public static readonly RecipientResolution MailboxDisabled = new(ResolutionKind.MailboxDisabled, []);

    /// <summary>True when the address is one we accept mail for (deliver or discard).</summary>
    public bool IsAccepted => Kind is ResolutionKind.Deliver or ResolutionKind.Discard;
}

public enum ResolutionKind
{
    /// <summary>Deliver to <see cref="RecipientResolution.Targets"/>.</summary>
    Deliver,

    /// <summary>Accepted and dropped: the domain's catch-all is <c>discard</c>.</summary>
    Discard,

    /// <summary>A hosted domain without such an address: <c>550 5.1.1</c>.</summary>
    NoSuchUser,

    /// <summary>The user exists but is disabled: <c>550 5.2.1</c>.</summary>
    MailboxDisabled,

    /// <summary>Not one of our domains: relay rules decide.</summary>
    NotHosted,

    /// <summary>The address could not be parsed as local@domain.</summary>
    InvalidAddress,
}
