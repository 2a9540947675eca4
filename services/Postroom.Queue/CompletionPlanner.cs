namespace Postroom.Queue;

/// <summary>
/// The pure part of completion: applies recipient outcomes to a leased entry's snapshot. Storage
/// implementations write the result only if the lease is still held.
/// </summary>
public static class CompletionPlanner
{
    /// <summary>
    /// Applies <paramref name="outcomes"/> to <paramref name="entry"/> (see
    /// <see cref="IMailQueue.CompleteAsync"/> for the rules) and returns the updated entry, with
    /// <see cref="QueueEntry.NextAttemptAt"/> set to the earliest next attempt of the pending
    /// recipients (null when every recipient is final) and no lease.
    /// </summary>
    public static QueueEntry Apply(QueueEntry entry, IReadOnlyList<RecipientOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(outcomes);

        var recipients = entry.Recipients.ToArray();
        var seen = new HashSet<int>();
        foreach (var outcome in outcomes)
        {
            ArgumentNullException.ThrowIfNull(outcome, nameof(outcomes));
            if (outcome.Index >= recipients.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(outcomes), outcome.Index, $"Entry {entry.Id} has {recipients.Length} recipient(s).");
            }

            if (!seen.Add(outcome.Index))
            {
                throw new ArgumentException($"Two outcomes for recipient {outcome.Index}.", nameof(outcomes));
            }

            var current = recipients[outcome.Index];
            if (current.State.IsFinal)
            {
                continue;
            }

            var attempts = current.State.Attempts + 1;
            var state = outcome.Kind switch
            {
                RecipientOutcomeKind.Delivered => new RecipientState(RecipientStatus.Delivered, attempts, null, outcome.Diagnostic),
                RecipientOutcomeKind.PermanentFailure => new RecipientState(RecipientStatus.PermanentFailure, attempts, null, outcome.Diagnostic),
                RecipientOutcomeKind.TemporaryFailure when outcome.NextAttemptAt > entry.ExpiresAt =>
                    new RecipientState(RecipientStatus.Expired, attempts, null, outcome.Diagnostic),
                RecipientOutcomeKind.TemporaryFailure => new RecipientState(RecipientStatus.TemporaryFailure, attempts, outcome.NextAttemptAt, outcome.Diagnostic),
                _ => throw new ArgumentOutOfRangeException(nameof(outcomes), outcome.Kind, "Unknown outcome kind."),
            };
            recipients[outcome.Index] = current with { State = state };
        }

        DateTimeOffset? next = null;
        foreach (var r in recipients)
        {
            if (r.State.IsPending)
            {
                var at = r.State.NextAttemptAt ?? entry.CreatedAt;
                next = next is null || at < next ? at : next;
            }
        }

        return entry with { Recipients = recipients, NextAttemptAt = next, LeaseExpiresAt = null };
    }
}
