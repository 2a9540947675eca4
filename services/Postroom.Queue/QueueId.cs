using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Postroom.Queue;

/// <summary>
/// Identifies one queue entry. 26 characters of Crockford base32 (digits and upper-case letters
/// without I, L, O, U): 10 characters of creation time in Unix milliseconds, then 16 characters
/// (80 bits) of cryptographic randomness, like a ULID.
/// </summary>
/// <remarks>
/// Ids sort by creation time both as strings (ordinal) and as values, are URL- and file-name-safe,
/// fit in SMTP replies (<c>250 2.0.0 Ok: queued as 01JDQ4...</c>) and in object-storage keys.
/// Two ids made in the same millisecond sort randomly among themselves.
/// </remarks>
public readonly struct QueueId : IEquatable<QueueId>, IComparable<QueueId>
{
    /// <summary>Length of the textual form.</summary>
    public const int Length = 26;

    private const int TimeChars = 10;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const long MaxTimestamp = (1L << 48) - 1;

    private readonly string? _value;

    private QueueId(string value) => _value = value;

    /// <summary>The textual form; "" for <c>default(QueueId)</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The creation time encoded in the id (millisecond precision).</summary>
    public DateTimeOffset Timestamp
    {
        get
        {
            if (_value is null)
            {
                return DateTimeOffset.UnixEpoch;
            }

            long ms = 0;
            for (var i = 0; i < TimeChars; i++)
            {
                ms = (ms << 5) | (long)Alphabet.IndexOf(_value[i], StringComparison.Ordinal);
            }

            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
    }

    /// <summary>Makes a new id stamped with <paramref name="time"/>'s current UTC time.</summary>
    public static QueueId New(TimeProvider? time = null) => New((time ?? TimeProvider.System).GetUtcNow());

    /// <summary>Makes a new id stamped with <paramref name="timestamp"/>.</summary>
    public static QueueId New(DateTimeOffset timestamp)
    {
        var ms = timestamp.ToUnixTimeMilliseconds();
        if (ms < 0 || ms > MaxTimestamp)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "The timestamp does not fit in 48 bits of Unix milliseconds.");
        }

        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[Length];
        for (var i = TimeChars - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(ms & 31)];
            ms >>= 5;
        }

        // 80 random bits = 16 groups of 5 bits.
        var acc = 0;
        var have = 0;
        var pos = TimeChars;
        foreach (var b in random)
        {
            acc = ((acc << 8) | b) & 0xFFF;
            have += 8;
            while (have >= 5)
            {
                have -= 5;
                chars[pos++] = Alphabet[(acc >> have) & 31];
            }
        }

        return new QueueId(new string(chars));
    }

    /// <summary>Parses the textual form; throws <see cref="FormatException"/> when invalid.</summary>
    public static QueueId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a queue id.");

    /// <summary>Parses the textual form (case-insensitive; stored upper-case).</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out QueueId id)
    {
        id = default;
        if (value is null || value.Length != Length)
        {
            return false;
        }

        var upper = value.ToUpperInvariant();
        foreach (var c in upper)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        // The first character holds only the top 3 of the 50 time bits (48 are used).
        if (Alphabet.IndexOf(upper[0], StringComparison.Ordinal) > 7)
        {
            return false;
        }

        id = new QueueId(upper);
        return true;
    }

    public bool Equals(QueueId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is QueueId other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public int CompareTo(QueueId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;

    public static bool operator ==(QueueId left, QueueId right) => left.Equals(right);

    public static bool operator !=(QueueId left, QueueId right) => !left.Equals(right);

    public static bool operator <(QueueId left, QueueId right) => left.CompareTo(right) < 0;

    public static bool operator <=(QueueId left, QueueId right) => left.CompareTo(right) <= 0;

    public static bool operator >(QueueId left, QueueId right) => left.CompareTo(right) > 0;

    public static bool operator >=(QueueId left, QueueId right) => left.CompareTo(right) >= 0;
}
