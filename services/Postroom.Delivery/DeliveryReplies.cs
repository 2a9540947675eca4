using Postroom.Queue;

namespace Postroom.Delivery;

/// <summary>The replies recorded for local outcomes, with enhanced status codes (RFC 3463).</summary>
public static class DeliveryReplies
{
    public const string Delivered = "250 2.0.0 delivered";

    public const string Discarded = "250 2.0.0 discarded by the domain's catch-all";

    public const string RemoteNotAvailable = "451 4.4.0 remote delivery is not available yet";

    public const string MailboxFull = "452 4.2.2 mailbox full";

    public const string StoreUnavailable = "451 4.3.0 mailbox store unavailable";

    public const string BodyMissing = "554 5.3.0 message body is missing from storage";

    public static DeliveryDiagnostic NoSuchUser(string address) => new(DeliveryError.PolicyRejected, $"550 5.1.1 <{address}>: no such user");

    public static DeliveryDiagnostic MailboxDisabled(string address) => new(DeliveryError.PolicyRejected, $"550 5.2.1 <{address}>: mailbox disabled");

    public static DeliveryDiagnostic BadAddress(string address) => new(DeliveryError.PolicyRejected, $"553 5.1.3 <{address}>: bad address syntax");

    public static DeliveryDiagnostic Loop(string target) => new(DeliveryError.PolicyRejected, $"554 5.4.6 mail loop: already delivered to {target}");
}
