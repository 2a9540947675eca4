namespace Postroom.Imap.Protocol;

/// <summary>
/// An RFC 3501 sequence-set as the client wrote it: ranges of message sequence numbers or UIDs, where
/// <see cref="Star"/> stands for "*" (the largest number in use). 0 is never a valid number, so it can mark "*".
/// </summary>
public sealed record SequenceSet(IReadOnlyList<SequenceRange> Ranges)
{
    /// <summary>The value of "*" in <see cref="SequenceRange"/>.</summary>
    public const uint Star = 0;

    /// <summary>Resolves "*" to <paramref name="largest"/> and orders each range's ends (RFC 3501 §9: 4:2 is 2:4).</summary>
    public IEnumerable<(uint First, uint Last)> Resolve(uint largest)
    {
        foreach (var range in Ranges)
        {
            var first = range.First == Star ? largest : range.First;
            var last = range.Last == Star ? largest : range.Last;
            yield return (Math.Min(first, last), Math.Max(first, last));
        }
    }

    public override string ToString() => string.Join(",", Ranges.Select(r => r.ToString()));
}

/// <summary>One seq-number or seq-range; for a single number <see cref="First"/> equals <see cref="Last"/>.</summary>
public readonly record struct SequenceRange(uint First, uint Last)
{
    public override string ToString()
    {
        static string Text(uint n) => n == SequenceSet.Star ? "*" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return First == Last ? Text(First) : Text(First) + ":" + Text(Last);
    }
}
