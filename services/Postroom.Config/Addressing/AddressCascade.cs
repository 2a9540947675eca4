namespace Postroom.Config.Addressing;

/// <summary>
/// qmail's lookup order for a local part with extensions, shared by the compiler (to expand alias targets)
/// and the snapshot (to resolve recipients). For <c>a-b-c</c> with delimiter <c>-</c>:
/// <list type="number">
/// <item>the exact user or alias <c>a-b-c</c>;</item>
/// <item>the aliases <c>a-b-default</c>, then <c>a-default</c> (qmail's .qmail-a-b-default, .qmail-a-default);</item>
/// <item>the user or alias <c>a-b</c>, then <c>a</c>, with the rest kept as the extension;</item>
/// <item>otherwise nothing matches and the caller applies the catch-all.</item>
/// </list>
/// Each delimiter position is tried with the delimiter found there, so <c>a+tag</c> looks for <c>a+default</c> then <c>a</c>.
/// </summary>
public static class AddressCascade
{
    public const string DefaultSuffix = "default";

    /// <summary>Finds the entry a local part reaches, or null when only the catch-all can take it.</summary>
    /// <param name="localPart">Normalised local part.</param>
    /// <param name="delimiters">The domain's extension delimiters; empty disables steps 2 and 3.</param>
    /// <param name="findAny">Looks up a user or alias by exact local part.</param>
    /// <param name="findAlias">Looks up an alias (not a user) by exact local part.</param>
    public static CascadeMatch<T>? Match<T>(string localPart, string delimiters, Func<string, T?> findAny, Func<string, T?> findAlias)
        where T : class
    {
        if (findAny(localPart) is { } exact)
        {
            return new CascadeMatch<T>(exact, localPart, null);
        }

        if (delimiters.Length == 0)
        {
            return null;
        }

        // Walk delimiter positions from the right: the most specific prefix wins.
        for (var i = localPart.Length - 1; i > 0; i--)
        {
            if (delimiters.Contains(localPart[i], StringComparison.Ordinal)
                && findAlias(string.Concat(localPart.AsSpan(0, i + 1), DefaultSuffix)) is { } defaultAlias)
            {
                return new CascadeMatch<T>(defaultAlias, string.Concat(localPart.AsSpan(0, i + 1), DefaultSuffix), localPart[(i + 1)..]);
            }
        }

        for (var i = localPart.Length - 1; i > 0; i--)
        {
            if (delimiters.Contains(localPart[i], StringComparison.Ordinal) && findAny(localPart[..i]) is { } prefix)
            {
                return new CascadeMatch<T>(prefix, localPart[..i], localPart[(i + 1)..]);
            }
        }

        return null;
    }
}

/// <summary>The entry a cascade reached, the local part it is registered under, and the extension left over.</summary>
public sealed record CascadeMatch<T>(T Entry, string MatchedLocalPart, string? Extension);
