namespace Postroom.Mailbox;

/// <summary>
/// A set of UIDs as inclusive ranges (an IMAP uid-set; "*" is <see cref="uint.MaxValue"/>).
/// Ranges are sorted and merged, so the store walks them in UID order (and can resume a batched
/// operation after the last UID it handled) without materialising every UID.
/// </summary>
public sealed class UidSet
{
    private readonly (uint First, uint Last)[] _ranges;

    private UidSet(IEnumerable<(uint First, uint Last)> ranges)
    {
        var merged = new List<(uint First, uint Last)>();
        foreach (var (first, last) in ranges.OrderBy(r => r.First))
        {
            if (merged.Count > 0 && (first <= merged[^1].Last || first - 1 == merged[^1].Last))
            {
                merged[^1] = (merged[^1].First, Math.Max(merged[^1].Last, last));
            }
            else
            {
                merged.Add((first, last));
            }
        }

        _ranges = [.. merged];
    }

    /// <summary>Every UID (1:*).</summary>
    public static UidSet All { get; } = new([(1, uint.MaxValue)]);

    public IReadOnlyList<(uint First, uint Last)> Ranges => _ranges;

    /// <summary>One range; the ends may come in either order (RFC 3501: 4:2 is 2:4).</summary>
    public static UidSet Range(uint first, uint last) => new([(Math.Min(first, last), Math.Max(first, last))]);

    /// <summary>The given UIDs (consecutive UIDs are merged into ranges).</summary>
    public static UidSet Of(IEnumerable<uint> uids)
    {
        ArgumentNullException.ThrowIfNull(uids);
        return new(uids.Select(u => (u, u)));
    }

    /// <summary>Several ranges.</summary>
    public static UidSet FromRanges(IEnumerable<(uint First, uint Last)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        return new(ranges.Select(r => (Math.Min(r.First, r.Last), Math.Max(r.First, r.Last))).ToList());
    }

    public bool Contains(uint uid) => _ranges.Any(r => uid >= r.First && uid <= r.Last);
}
