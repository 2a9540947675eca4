namespace Postroom.Queue;

/// <summary>Where one recipient of a queue entry stands.</summary>
public enum RecipientStatus
{
    /// <summary>Not attempted yet; due at <see cref="RecipientState.NextAttemptAt"/>.</summary>
    Scheduled = 0,

    /// <summary>Final: delivered.</summary>
    Delivered = 1,

    /// <summary>Pending: the last attempt failed temporarily; retried at <see cref="RecipientState.NextAttemptAt"/>.</summary>
    TemporaryFailure = 2,

    /// <summary>Final: failed permanently (a bounce is due unless NOTIFY says otherwise).</summary>
    PermanentFailure = 3,

    /// <summary>Final: still failing temporarily when the entry's queue lifetime ran out.</summary>
    Expired = 4,
}

/// <summary>What kind of problem the last delivery attempt of a recipient hit. A closed set.</summary>
public enum DeliveryError
{
    /// <summary>No error; used for the reply of a successful delivery.</summary>
    None = 0,

    /// <summary>The remote SMTP server answered with a 4xx/5xx reply (in the diagnostic text).</summary>
    RemoteRejected = 1,

    /// <summary>No TCP connection to any mail exchanger (refused, unreachable, reset).</summary>
    ConnectionFailed = 2,

    /// <summary>A connection or command timed out.</summary>
    Timeout = 3,

    /// <summary>DNS resolution failed temporarily (SERVFAIL, timeout).</summary>
    DnsFailure = 4,

    /// <summary>The domain has no usable mail exchanger (NXDOMAIN, null MX).</summary>
    NoMailExchanger = 5,

    /// <summary>TLS was required (policy, MTA-STS, DANE) and could not be established or verified.</summary>
    TlsFailure = 6,

    /// <summary>The remote server violated the SMTP protocol.</summary>
    ProtocolError = 7,

    /// <summary>A local problem: the body was missing from object storage, a configuration error, etc.</summary>
    LocalError = 8,

    /// <summary>Local policy refused the delivery (e.g. a routing rule).</summary>
    PolicyRejected = 9,
}

/// <summary>The outcome detail of a delivery attempt.</summary>
/// <param name="Kind">What went wrong (or <see cref="DeliveryError.None"/>).</param>
/// <param name="Text">The SMTP reply or a local diagnostic, e.g. <c>451 4.3.0 Try again later</c>.</param>
public sealed record DeliveryDiagnostic(DeliveryError Kind, string Text);

/// <summary>The delivery state of one recipient.</summary>
/// <param name="Status">Where the recipient stands.</param>
/// <param name="Attempts">How many delivery attempts were completed for this recipient.</param>
/// <param name="NextAttemptAt">When the recipient is due (pending statuses only), else null.</param>
/// <param name="LastDiagnostic">Detail of the last attempt, or null before the first.</param>
public sealed record RecipientState(
    RecipientStatus Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DeliveryDiagnostic? LastDiagnostic)
{
    /// <summary>True for Delivered, PermanentFailure and Expired: nothing more will happen.</summary>
    public bool IsFinal => Status is RecipientStatus.Delivered or RecipientStatus.PermanentFailure or RecipientStatus.Expired;

    /// <summary>True for Scheduled and TemporaryFailure: a delivery attempt is still due.</summary>
    public bool IsPending => !IsFinal;
}
