namespace Postroom.Queue;

/// <summary>The DSN NOTIFY parameter of RCPT TO (RFC 3461 section 4.1).</summary>
[Flags]
public enum DsnNotify
{
    /// <summary>No NOTIFY parameter was given (the MTA notifies on failure and, optionally, delay).</summary>
    Unspecified = 0,

    /// <summary>NOTIFY=NEVER; must not be combined with the other flags.</summary>
    Never = 1,

    /// <summary>Notify on successful delivery.</summary>
    Success = 2,

    /// <summary>Notify on permanent failure (or expiry).</summary>
    Failure = 4,

    /// <summary>Notify when delivery is delayed.</summary>
    Delay = 8,
}

/// <summary>One recipient of a queued message, as accepted by RCPT TO. Immutable once queued.</summary>
/// <param name="Address">The forward-path without angle brackets.</param>
public sealed record QueuedRecipient(string Address)
{
    /// <summary>The DSN NOTIFY parameter.</summary>
    public DsnNotify Notify { get; init; }

    /// <summary>The DSN ORCPT parameter as given, e.g. <c>rfc822;user@example.com</c> (xtext-decoded), or null.</summary>
    public string? OriginalRecipient { get; init; }
}
