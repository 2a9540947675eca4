using k8s.Models;

namespace Postroom.Operator.Reconciliation;

/// <summary>Condition bookkeeping: <c>lastTransitionTime</c> moves only when a condition's status flips.</summary>
public static class Conditions
{
    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    /// <summary>A new condition, keeping the previous transition time when the status did not change.</summary>
    public static V1Condition Next(IEnumerable<V1Condition>? previous, string type, bool status, string reason, string message, long generation, DateTime now)
    {
        var text = status ? "True" : "False";
        var old = Find(previous, type);
        var transition = old is not null && string.Equals(old.Status, text, StringComparison.Ordinal) ? old.LastTransitionTime : now;
        return new V1Condition
        {
            Type = type,
            Status = text,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = transition,
        };
    }

    /// <summary>Whether two conditions say the same thing (everything but the transition time).</summary>
    public static bool SameState(V1Condition? a, V1Condition? b) =>
        a is not null && b is not null
        && string.Equals(a.Status, b.Status, StringComparison.Ordinal)
        && string.Equals(a.Reason, b.Reason, StringComparison.Ordinal)
        && string.Equals(a.Message, b.Message, StringComparison.Ordinal)
        && a.ObservedGeneration == b.ObservedGeneration;
}
