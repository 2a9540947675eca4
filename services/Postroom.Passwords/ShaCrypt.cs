using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Postroom.Passwords;

/// <summary>The two SHA-crypt variants.</summary>
internal enum ShaCryptVariant
{
    /// <summary>SHA-256-crypt, <c>$5$</c>.</summary>
    Sha256,

    /// <summary>SHA-512-crypt, <c>$6$</c>.</summary>
    Sha512,
}

/// <summary>
/// SHA-256-crypt (<c>$5$</c>) and SHA-512-crypt (<c>$6$</c>).
/// </summary>
/// <remarks>
/// Source: Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512" (version 0.6, 2016-08-31,
/// https://www.akkadia.org/drepper/SHA-crypt.txt), implemented step by step as numbered in the
/// specification. The salt is at most 16 characters and ends at the first '$'. An optional
/// <c>rounds=N$</c> after the identifier sets the number of rounds (default 5000), clamped to
/// 1000..999,999,999; when present it is repeated (clamped) in the output.
/// </remarks>
internal static class ShaCrypt
{
    /// <summary>Rounds used when the setting has no <c>rounds=</c> option.</summary>
    public const int DefaultRounds = 5000;

    /// <summary>The smallest round count; smaller requests are raised to this.</summary>
    public const int MinRounds = 1000;

    /// <summary>The largest round count; larger requests are lowered to this.</summary>
    public const int MaxRounds = 999_999_999;

    /// <summary>The longest salt the algorithm uses; longer salts are truncated.</summary>
    public const int MaxSaltLength = 16;

    /// <summary>The literal that introduces the rounds option.</summary>
    public const string RoundsPrefix = "rounds=";

    // Step 22 output order for SHA-256: (B2, B1, B0, characters).
    private static readonly int[] Sha256Groups =
    [
        0, 10, 20, 4,
        21, 1, 11, 4,
        12, 22, 2, 4,
        3, 13, 23, 4,
        24, 4, 14, 4,
        15, 25, 5, 4,
        6, 16, 26, 4,
        27, 7, 17, 4,
        18, 28, 8, 4,
        9, 19, 29, 4,
        -1, 31, 30, 3,
    ];

    // Step 22 output order for SHA-512.
    private static readonly int[] Sha512Groups =
    [
        0, 21, 42, 4,
        22, 43, 1, 4,
        44, 2, 23, 4,
        3, 24, 45, 4,
        25, 46, 4, 4,
        47, 5, 26, 4,
        6, 27, 48, 4,
        28, 49, 7, 4,
        50, 8, 29, 4,
        9, 30, 51, 4,
        31, 52, 10, 4,
        53, 11, 32, 4,
        12, 33, 54, 4,
        34, 55, 13, 4,
        56, 14, 35, 4,
        15, 36, 57, 4,
        37, 58, 16, 4,
        59, 17, 38, 4,
        18, 39, 60, 4,
        40, 61, 19, 4,
        62, 20, 41, 4,
        -1, -1, 63, 2,
    ];

    /// <summary>The identifier that starts a string of this variant: <c>$5$</c> or <c>$6$</c>.</summary>
    public static string Magic(ShaCryptVariant variant) => variant == ShaCryptVariant.Sha256 ? "$5$" : "$6$";

    /// <summary>The length of the encoded hash part: 43 for SHA-256, 86 for SHA-512.</summary>
    public static int EncodedHashLength(ShaCryptVariant variant) => variant == ShaCryptVariant.Sha256 ? 43 : 86;

    /// <summary>Human-readable name of the variant, for messages.</summary>
    public static string DisplayName(ShaCryptVariant variant) =>
        variant == ShaCryptVariant.Sha256 ? "SHA-256-crypt" : "SHA-512-crypt";

    /// <summary>Clamps a requested round count to the range the specification allows.</summary>
    public static int ClampRounds(ulong requested) => (int)Math.Clamp(requested, MinRounds, MaxRounds);

    /// <summary>
    /// Parses the value of a <c>rounds=</c> option (the digits before the '$'). Returns false when it
    /// is not a plain decimal number; values beyond <see cref="ulong"/> saturate, as strtoul does.
    /// </summary>
    public static bool TryParseRounds(ReadOnlySpan<char> digits, out int rounds)
    {
        rounds = 0;
        if (digits.IsEmpty || !IsAsciiDigits(digits))
        {
            return false;
        }

        var value = ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : ulong.MaxValue;
        rounds = ClampRounds(value);
        return true;
    }

    /// <summary>
    /// crypt(3) semantics: hashes <paramref name="password"/> (UTF-8) with the salt and rounds in
    /// <paramref name="setting"/> (<c>$5$[rounds=N$]salt[$...]</c>) and returns the full string,
    /// e.g. <c>$5$rounds=1000$salt$hash</c>.
    /// </summary>
    /// <exception cref="FormatException">The setting does not start with the variant's identifier.</exception>
    public static string Crypt(ShaCryptVariant variant, string password, string setting)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(setting);
        var magic = Magic(variant);
        if (!setting.StartsWith(magic, StringComparison.Ordinal))
        {
            throw new FormatException($"A {DisplayName(variant)} setting starts with '{magic}'.");
        }

        var rest = setting.AsSpan(magic.Length);
        var rounds = DefaultRounds;
        var roundsCustom = false;
        if (rest.StartsWith(RoundsPrefix, StringComparison.Ordinal))
        {
            var afterPrefix = rest[RoundsPrefix.Length..];
            var end = afterPrefix.IndexOf('$');
            if (end >= 0 && TryParseRounds(afterPrefix[..end], out var parsed))
            {
                rounds = parsed;
                roundsCustom = true;
                rest = afterPrefix[(end + 1)..];
            }
        }

        var saltEnd = rest.IndexOf('$');
        var salt = saltEnd >= 0 ? rest[..saltEnd] : rest;
        if (salt.Length > MaxSaltLength)
        {
            salt = salt[..MaxSaltLength];
        }

        var saltText = salt.ToString();
        var hash = ComputeHash(variant, Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(saltText), rounds);
        var prefix = roundsCustom
            ? string.Create(CultureInfo.InvariantCulture, $"{magic}{RoundsPrefix}{rounds}$")
            : magic;
        return prefix + saltText + "$" + hash;
    }

    /// <summary>
    /// Computes the encoded hash part for <paramref name="password"/>, <paramref name="salt"/>
    /// (already limited to 16 bytes) and <paramref name="rounds"/> (already clamped).
    /// </summary>
    public static string ComputeHash(ShaCryptVariant variant, ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int rounds)
    {
        var algorithm = variant == ShaCryptVariant.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;
        var hashLength = variant == ShaCryptVariant.Sha256 ? 32 : 64;
        using var ctx = IncrementalHash.CreateHash(algorithm);

        // Steps 4-8: digest B = H(password || salt || password).
        ctx.AppendData(password);
        ctx.AppendData(salt);
        ctx.AppendData(password);
        var b = ctx.GetHashAndReset();

        // Steps 1-3: digest A starts with password || salt.
        ctx.AppendData(password);
        ctx.AppendData(salt);

        // Step 9: for each full block of the password length add B; step 10: then the rest of B.
        var remaining = password.Length;
        for (; remaining > hashLength; remaining -= hashLength)
        {
            ctx.AppendData(b);
        }

        ctx.AppendData(b.AsSpan(0, remaining));

        // Step 11: for each bit of the password length, B when set, the password when clear.
        for (var bits = password.Length; bits > 0; bits >>= 1)
        {
            if ((bits & 1) != 0)
            {
                ctx.AppendData(b);
            }
            else
            {
                ctx.AppendData(password);
            }
        }

        // Step 12: finish A.
        var a = ctx.GetHashAndReset();

        // Steps 13-16: DP = H(password repeated password-length times); P = DP repeated to the password length.
        for (var i = 0; i < password.Length; i++)
        {
            ctx.AppendData(password);
        }

        var p = Repeat(ctx.GetHashAndReset(), password.Length);

        // Steps 17-20: DS = H(salt repeated 16 + A[0] times); S = DS repeated to the salt length.
        for (var i = 0; i < 16 + a[0]; i++)
        {
            ctx.AppendData(salt);
        }

        var s = Repeat(ctx.GetHashAndReset(), salt.Length);

        // Step 21: the rounds.
        var c = a;
        for (var round = 0; round < rounds; round++)
        {
            ctx.AppendData((round & 1) != 0 ? p : c);
            if (round % 3 != 0)
            {
                ctx.AppendData(s);
            }

            if (round % 7 != 0)
            {
                ctx.AppendData(p);
            }

            ctx.AppendData((round & 1) != 0 ? c : p);
            c = ctx.GetHashAndReset();
        }

        // Step 22: encode with the variant's byte permutation.
        return CryptBase64.Encode(c, variant == ShaCryptVariant.Sha256 ? Sha256Groups : Sha512Groups);
    }

    private static byte[] Repeat(byte[] digest, int length)
    {
        var result = new byte[length];
        for (var offset = 0; offset < length; offset += digest.Length)
        {
            digest.AsSpan(0, Math.Min(digest.Length, length - offset)).CopyTo(result.AsSpan(offset));
        }

        return result;
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> value)
    {
        foreach (var ch in value)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }
        }

        return true;
    }
}
