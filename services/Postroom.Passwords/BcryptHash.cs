using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BCryptNet = BCrypt.Net.BCrypt;

namespace Postroom.Passwords;

/// <summary>
/// bcrypt (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>) via BCrypt.Net-Next. <c>$2y$</c> is PHP's name for
/// the corrected algorithm that OpenBSD calls <c>$2b$</c>; all three compute the same hash for
/// passwords shorter than 256 bytes. <c>$2x$</c> (PHP's emulation of the old sign-extension bug)
/// is not supported.
/// </summary>
internal static class BcryptHash
{
    /// <summary>Total length of a bcrypt string: <c>$2b$NN$</c> + 22 salt + 31 hash characters.</summary>
    public const int Length = 60;

    /// <summary>Length of the setting part (<c>$2b$NN$</c> + salt) that bcrypt needs to recompute the hash.</summary>
    public const int SettingLength = 29;

    /// <summary>
    /// Checks the structure of a bcrypt string whose prefix is <c>$2a$</c>, <c>$2b$</c> or <c>$2y$</c>.
    /// Returns null when it is well formed, otherwise a reason.
    /// </summary>
    public static string? Validate(string value)
    {
        if (value.Length != Length)
        {
            return string.Create(CultureInfo.InvariantCulture, $"a bcrypt hash is {Length} characters ($2b$<cost>$<22-char salt><31-char hash>), this one has {value.Length}");
        }

        if (value[6] != '$' || !char.IsAsciiDigit(value[4]) || !char.IsAsciiDigit(value[5]))
        {
            return "expected a two-digit cost after the bcrypt identifier, e.g. $2b$12$";
        }

        var cost = ((value[4] - '0') * 10) + (value[5] - '0');
        if (cost is < 4 or > 31)
        {
            return string.Create(CultureInfo.InvariantCulture, $"bcrypt cost {cost} is outside 04..31");
        }

        return CryptBase64.IsValid(value.AsSpan(7)) ? null : "the bcrypt salt and hash must use the alphabet [./A-Za-z0-9]";
    }

    /// <summary>
    /// Recomputes the hash with the stored salt and cost and compares the 31-character hash parts in
    /// constant time. (BCrypt.Net's own <c>Verify</c> is not used so the comparison is known to be
    /// <see cref="CryptographicOperations.FixedTimeEquals"/>.)
    /// </summary>
    public static bool Verify(string password, string stored)
    {
        var computed = BCryptNet.HashPassword(password, stored[..SettingLength]);
        if (computed.Length != Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(computed[SettingLength..]),
            Encoding.ASCII.GetBytes(stored[SettingLength..]));
    }
}
