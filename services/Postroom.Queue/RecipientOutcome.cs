namespace Postroom.Queue;

/// <summary>The kind of a <see cref="RecipientOutcome"/>.</summary>
public enum RecipientOutcomeKind
{
    /// <summary>The recipient was delivered.</summary>
    Delivered = 0,

    /// <summary>The attempt failed temporarily; retry at the given time.</summary>
    TemporaryFailure = 1,

    /// <summary>The recipient failed permanently.</summary>
    PermanentFailure = 2,
}

/// <summary>The result of one delivery attempt for one recipient of a leased entry.</summary>
public sealed record RecipientOutcome
{
    private RecipientOutcome(int index, RecipientOutcomeKind kind, DateTimeOffset? nextAttemptAt, DeliveryDiagnostic? diagnostic)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Index = index;
        Kind = kind;
        NextAttemptAt = nextAttemptAt;
        Diagnostic = diagnostic;
    }

    /// <summary>The recipient's index in the entry.</summary>
    public int Index { get; }

    /// <summary>What happened.</summary>
    public RecipientOutcomeKind Kind { get; }

    /// <summary>For a temporary failure: when to retry.</summary>
    public DateTimeOffset? NextAttemptAt { get; }

    /// <summary>Detail of the attempt (the remote reply on success, if any).</summary>
    public DeliveryDiagnostic? Diagnostic { get; }

    /// <summary>The recipient was delivered; <paramref name="reply"/> is the remote server's reply, if any.</summary>
    public static RecipientOutcome Delivered(int index, string? reply = null) =>
        new(index, RecipientOutcomeKind.Delivered, null, reply is null ? null : new DeliveryDiagnostic(DeliveryError.None, reply));

    /// <summary>The attempt failed temporarily; retry at <paramref name="nextAttemptAt"/>.</summary>
    public static RecipientOutcome TemporaryFailure(int index, DateTimeOffset nextAttemptAt, DeliveryDiagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new(index, RecipientOutcomeKind.TemporaryFailure, nextAttemptAt, diagnostic);
    }

    /// <summary>The recipient failed permanently.</summary>
    public static RecipientOutcome PermanentFailure(int index, DeliveryDiagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new(index, RecipientOutcomeKind.PermanentFailure, null, diagnostic);
    }
}
