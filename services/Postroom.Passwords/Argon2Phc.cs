using System.Globalization;
using System.Security.Cryptography;
using Isopoh.Cryptography.Argon2;

namespace Postroom.Passwords;

/// <summary>The parameters and values of an Argon2 PHC string.</summary>
/// <param name="Algorithm">Argon2id, Argon2i or Argon2d.</param>
/// <param name="Version">0x13 (<c>v=19</c>) or 0x10 (<c>v=16</c>, or no <c>v=</c> at all).</param>
/// <param name="MemoryKib">Memory cost <c>m</c> in KiB.</param>
/// <param name="Iterations">Time cost <c>t</c>.</param>
/// <param name="Parallelism">Lanes <c>p</c>.</param>
/// <param name="Salt">The decoded salt.</param>
/// <param name="Hash">The decoded expected hash.</param>
internal sealed record Argon2Hash(
    PasswordHashAlgorithm Algorithm,
    int Version,
    int MemoryKib,
    int Iterations,
    int Parallelism,
    byte[] Salt,
    byte[] Hash);

/// <summary>
/// Argon2 in the PHC string format of the reference implementation
/// (https://github.com/P-H-C/phc-winner-argon2, <c>src/encoding.c</c>):
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>, with salt and hash in standard
/// base64 without padding. The Argon2 computation itself is Isopoh.Cryptography.Argon2.
/// </summary>
internal static class Argon2Phc
{
    /// <summary>Argon2 version 1.3, written <c>v=19</c>.</summary>
    public const int Version13 = 0x13;

    /// <summary>Argon2 version 1.0, written <c>v=16</c> or implied by a missing <c>v=</c>.</summary>
    public const int Version10 = 0x10;

    // Bounds: the reference implementation's minimums, and maximums that keep one verification of a
    // stored hash from taking unbounded memory or time in the mail server. Options for new hashes use the same.
    public const int MinSaltBytes = 8;
    public const int MaxSaltBytes = 1024;
    public const int MinHashBytes = 4;
    public const int MaxHashBytes = 1024;
    public const int MaxMemoryKib = 4 * 1024 * 1024;
    public const int MaxIterations = 1000;
    public const int MaxParallelism = 255;

    /// <summary>The PHC identifier of an algorithm: <c>argon2id</c>, <c>argon2i</c> or <c>argon2d</c>.</summary>
    public static string Identifier(PasswordHashAlgorithm algorithm) => algorithm switch
    {
        PasswordHashAlgorithm.Argon2id => "argon2id",
        PasswordHashAlgorithm.Argon2i => "argon2i",
        PasswordHashAlgorithm.Argon2d => "argon2d",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>
    /// Parses a PHC string whose identifier is already known to be <paramref name="algorithm"/>.
    /// Returns null and a reason when the string is malformed or its parameters are out of range.
    /// </summary>
    public static Argon2Hash? TryParse(string value, PasswordHashAlgorithm algorithm, out string? problem)
    {
        // "", "argon2id", ["v=19"], "m=..,t=..,p=..", salt, hash
        var parts = value.Split('$');
        var index = 2;
        var version = Version10;
        var hasVersion = parts.Length > 2 && parts[2].StartsWith("v=", StringComparison.Ordinal);
        if (parts.Length != (hasVersion ? 6 : 5))
        {
            problem = "expected $" + Identifier(algorithm) + "$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>";
            return null;
        }

        if (hasVersion)
        {
            if (!TryParseNumber(parts[2].AsSpan(2), out var v)
                || (v != Version13 && v != Version10))
            {
                problem = $"unknown Argon2 version field '{parts[2]}' (expected v=19 or v=16)";
                return null;
            }

            version = (int)v;
            index = 3;
        }

        var parameters = parts[index].Split(',');
        if (parameters.Length != 3
            || !TryParseParameter(parameters[0], "m=", out var m)
            || !TryParseParameter(parameters[1], "t=", out var t)
            || !TryParseParameter(parameters[2], "p=", out var p))
        {
            problem = $"expected parameters 'm=<KiB>,t=<iterations>,p=<lanes>', found '{parts[index]}'";
            return null;
        }

        if (p < 1 || p > MaxParallelism)
        {
            problem = $"parallelism p={p} is outside 1..{MaxParallelism}";
            return null;
        }

        if (t < 1 || t > MaxIterations)
        {
            problem = $"iterations t={t} is outside 1..{MaxIterations}";
            return null;
        }

        if (m < 8 * p || m > MaxMemoryKib)
        {
            problem = $"memory m={m} KiB is outside {8 * p}..{MaxMemoryKib} (at least 8 KiB per lane)";
            return null;
        }

        if (!TryDecodeBase64(parts[index + 1], out var salt) || salt.Length < MinSaltBytes || salt.Length > MaxSaltBytes)
        {
            problem = $"the salt must be unpadded base64 of {MinSaltBytes}..{MaxSaltBytes} bytes";
            return null;
        }

        if (!TryDecodeBase64(parts[index + 2], out var hash) || hash.Length < MinHashBytes || hash.Length > MaxHashBytes)
        {
            problem = $"the hash must be unpadded base64 of {MinHashBytes}..{MaxHashBytes} bytes";
            return null;
        }

        problem = null;
        return new Argon2Hash(algorithm, version, (int)m, (int)t, (int)p, salt, hash);
    }

    /// <summary>Formats the PHC string for <paramref name="hash"/> (always with a <c>v=</c> field).</summary>
    public static string Format(Argon2Hash hash) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"${Identifier(hash.Algorithm)}$v={hash.Version}$m={hash.MemoryKib},t={hash.Iterations},p={hash.Parallelism}${EncodeBase64(hash.Salt)}${EncodeBase64(hash.Hash)}");

    /// <summary>Computes the raw Argon2 output for <paramref name="password"/> with the parameters of <paramref name="parameters"/>.</summary>
    public static byte[] Compute(byte[] password, Argon2Hash parameters)
    {
        var config = new Argon2Config
        {
            Type = parameters.Algorithm switch
            {
                PasswordHashAlgorithm.Argon2id => Argon2Type.HybridAddressing,
                PasswordHashAlgorithm.Argon2i => Argon2Type.DataIndependentAddressing,
                PasswordHashAlgorithm.Argon2d => Argon2Type.DataDependentAddressing,
                _ => throw new ArgumentOutOfRangeException(nameof(parameters)),
            },
            Version = parameters.Version == Version13 ? Argon2Version.Nineteen : Argon2Version.Sixteen,
            MemoryCost = parameters.MemoryKib,
            TimeCost = parameters.Iterations,
            Lanes = parameters.Parallelism,
            Threads = Math.Clamp(parameters.Parallelism, 1, Environment.ProcessorCount),
            Password = password,
            Salt = parameters.Salt,
            HashLength = parameters.Hash.Length,
        };

        using var argon2 = new Argon2(config);
        using var output = argon2.Hash();
        return output.Buffer.ToArray();
    }

    /// <summary>Recomputes the hash for <paramref name="password"/> and compares it in constant time.</summary>
    public static bool Verify(byte[] password, Argon2Hash expected) =>
        CryptographicOperations.FixedTimeEquals(Compute(password, expected), expected.Hash);

    /// <summary>Standard base64 without padding, as PHC strings use.</summary>
    public static string EncodeBase64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=');

    /// <summary>
    /// Decodes unpadded standard base64, rejecting padding, whitespace, other characters and
    /// non-canonical encodings (unused trailing bits set), as the reference decoder does.
    /// </summary>
    public static bool TryDecodeBase64(string text, out byte[] data)
    {
        data = [];
        if (text.Length == 0 || text.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/'))
            {
                return false;
            }
        }

        var padded = text + new string('=', (4 - (text.Length % 4)) % 4);
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }

        data = buffer[..written];
        return string.Equals(EncodeBase64(data), text, StringComparison.Ordinal);
    }

    private static bool TryParseParameter(string text, string name, out long value)
    {
        value = 0;
        return text.StartsWith(name, StringComparison.Ordinal) && TryParseNumber(text.AsSpan(name.Length), out value);
    }

    // Plain decimal digits only (no sign, no whitespace), at most 10 digits.
    private static bool TryParseNumber(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 10)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
