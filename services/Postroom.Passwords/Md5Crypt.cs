using System.Security.Cryptography;
using System.Text;

namespace Postroom.Passwords;

/// <summary>
/// MD5-crypt (<c>$1$salt$hash</c>), the FreeBSD/glibc "MD5 based password hash" by Poul-Henning Kamp.
/// </summary>
/// <remarks>
/// Source: Poul-Henning Kamp, <c>crypt-md5.c</c> ("THE BEER-WARE LICENSE", FreeBSD
/// <c>lib/libcrypt/crypt-md5.c</c>, 1994/1995), reproduced step by step below. The salt is at most
/// 8 characters and ends at the first '$'. MD5-crypt is weak by today's standards and is only
/// verified so that migrated vpopmail/Dovecot users keep their passwords until they are rehashed.
/// </remarks>
internal static class Md5Crypt
{
    /// <summary>The identifier ("magic") that starts an MD5-crypt string.</summary>
    public const string Magic = "$1$";

    /// <summary>The longest salt the algorithm uses; longer salts are truncated.</summary>
    public const int MaxSaltLength = 8;

    /// <summary>The length of the encoded hash part.</summary>
    public const int EncodedHashLength = 22;

    // to64 order of the final digest: (final[0], final[6], final[12]), ... and final[11] on its own.
    private static readonly int[] OutputGroups =
    [
        0, 6, 12, 4,
        1, 7, 13, 4,
        2, 8, 14, 4,
        3, 9, 15, 4,
        4, 10, 5, 4,
        -1, -1, 11, 2,
    ];

    /// <summary>
    /// crypt(3) semantics: hashes <paramref name="password"/> (UTF-8) with the salt taken from
    /// <paramref name="setting"/> (<c>$1$salt</c>, optionally followed by <c>$</c> and anything) and
    /// returns the full <c>$1$salt$hash</c> string.
    /// </summary>
    /// <exception cref="FormatException">The setting does not start with <c>$1$</c>.</exception>
    public static string Crypt(string password, string setting)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(setting);
        if (!setting.StartsWith(Magic, StringComparison.Ordinal))
        {
            throw new FormatException("An MD5-crypt setting starts with '$1$'.");
        }

        var salt = setting.AsSpan(Magic.Length);
        var end = salt.IndexOf('$');
        if (end >= 0)
        {
            salt = salt[..end];
        }

        if (salt.Length > MaxSaltLength)
        {
            salt = salt[..MaxSaltLength];
        }

        var saltText = salt.ToString();
        return Magic + saltText + "$" + ComputeHash(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(saltText));
    }

    /// <summary>
    /// Computes the 22-character encoded hash of <paramref name="password"/> with
    /// <paramref name="salt"/> (already limited to 8 bytes).
    /// </summary>
    public static string ComputeHash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt)
    {
        var magic = "$1$"u8;
        using var ctx = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

        // "Then just as many characters of the MD5(pw,salt,pw)".
        ctx.AppendData(password);
        ctx.AppendData(salt);
        ctx.AppendData(password);
        var alternate = ctx.GetHashAndReset();

        // "The password first, since that is what is most unknown", then the magic, then the raw salt.
        ctx.AppendData(password);
        ctx.AppendData(magic);
        ctx.AppendData(salt);
        for (var pl = password.Length; pl > 0; pl -= 16)
        {
            ctx.AppendData(alternate.AsSpan(0, Math.Min(16, pl)));
        }

        // "Then something really weird...": for each bit of the length, a NUL byte when the bit is
        // set, otherwise the first password byte (in C, the terminating NUL for an empty password,
        // but the loop does not run then).
        for (var i = password.Length; i != 0; i >>= 1)
        {
            if ((i & 1) != 0)
            {
                ctx.AppendData([0]);
            }
            else
            {
                ctx.AppendData(password[..1]);
            }
        }

        var final = ctx.GetHashAndReset();

        // "And now, just to make sure things don't run too fast": 1000 rounds.
        for (var i = 0; i < 1000; i++)
        {
            if ((i & 1) != 0)
            {
                ctx.AppendData(password);
            }
            else
            {
                ctx.AppendData(final);
            }

            if (i % 3 != 0)
            {
                ctx.AppendData(salt);
            }

            if (i % 7 != 0)
            {
                ctx.AppendData(password);
            }

            if ((i & 1) != 0)
            {
                ctx.AppendData(final);
            }
            else
            {
                ctx.AppendData(password);
            }

            final = ctx.GetHashAndReset();
        }

        return CryptBase64.Encode(final, OutputGroups);
    }
}
