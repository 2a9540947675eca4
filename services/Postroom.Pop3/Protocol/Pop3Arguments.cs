using System.Globalization;

namespace Postroom.Pop3.Protocol;

/// <summary>Parsers for command arguments. They return values; they never write replies.</summary>
internal static class Pop3Arguments
{
    /// <summary>What a message-number argument turned out to be.</summary>
    public enum NumberResult
    {
        Ok,

        /// <summary>Digits, but no message can have this number (0, or beyond any 32-bit count).</summary>
        OutOfRange,

        /// <summary>Not <c>1*DIGIT</c>: a sign, letters, empty, or a second argument.</summary>
        Syntax,
    }

    /// <summary>
    /// RFC 1939 §3 / RFC 2449 §3: <c>msg = 1*DIGIT</c>, a message number in decimal without sign. Leading
    /// zeros are accepted (the grammar allows them); a value of zero or over int.MaxValue names no message.
    /// </summary>
    public static NumberResult TryParseMessageNumber(ReadOnlySpan<char> text, out int number)
    {
        number = 0;
        if (!TryParseDigits(text, out var value))
        {
            return NumberResult.Syntax;
        }

        if (value is 0 or > int.MaxValue)
        {
            return NumberResult.OutOfRange;
        }

        number = (int)value;
        return NumberResult.Ok;
    }

    /// <summary>
    /// RFC 1939 §7 TOP: <c>"TOP" SP msg SP n</c> where <c>n = 1*DIGIT</c> is a non-negative line count;
    /// counts beyond long's range are clamped (they mean "the whole body" anyway).
    /// </summary>
    public static bool TryParseLineCount(ReadOnlySpan<char> text, out long lines)
    {
        lines = 0;
        if (text.Length == 0 || text.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        lines = text.Length > 18 ? long.MaxValue : long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Splits arguments on single spaces (RFC 1939 §3: arguments are separated by one space).</summary>
    public static string[] Split(string arguments) => arguments.Length == 0 ? [] : arguments.Split(' ');

    private static bool TryParseDigits(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || text.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        // Long digit strings are clearly out of range; never overflow while parsing them.
        var trimmed = text.TrimStart('0');
        value = trimmed.Length > 18 ? ulong.MaxValue : trimmed.Length == 0 ? 0 : ulong.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }
}
