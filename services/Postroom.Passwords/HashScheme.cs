namespace Postroom.Passwords;

/// <summary>The password hash algorithms Postroom recognises.</summary>
public enum PasswordHashAlgorithm
{
    /// <summary>Not a supported scheme (unknown, plaintext, DES crypt, ...).</summary>
    Unknown = 0,

    /// <summary>Argon2id (<c>$argon2id$</c>); the algorithm Postroom writes.</summary>
    Argon2id,

    /// <summary>Argon2i (<c>$argon2i$</c>), verified only.</summary>
    Argon2i,

    /// <summary>Argon2d (<c>$argon2d$</c>), verified only.</summary>
    Argon2d,

    /// <summary>bcrypt (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>), verified only.</summary>
    Bcrypt,

    /// <summary>MD5-crypt (<c>$1$</c>), verified only.</summary>
    Md5Crypt,

    /// <summary>SHA-256-crypt (<c>$5$</c>), verified only.</summary>
    Sha256Crypt,

    /// <summary>SHA-512-crypt (<c>$6$</c>), verified only.</summary>
    Sha512Crypt,
}

/// <summary>
/// What <see cref="PasswordHasher.Identify"/> found in a stored password hash.
/// </summary>
/// <param name="Algorithm">
/// The recognised algorithm, or <see cref="PasswordHashAlgorithm.Unknown"/> when the scheme is not
/// supported. A recognised algorithm with <see cref="IsSupported"/> false means the hash is malformed.
/// </param>
/// <param name="DovecotScheme">
/// The Dovecot scheme prefix without braces, upper-cased (e.g. <c>SHA512-CRYPT</c> for
/// <c>{SHA512-CRYPT}$6$...</c>), or null when the hash has no prefix.
/// </param>
/// <param name="Reason">
/// Why the hash cannot be used, phrased for a configuration error message; null when it can.
/// </param>
public sealed record HashScheme(PasswordHashAlgorithm Algorithm, string? DovecotScheme, string? Reason)
{
    /// <summary>True when the stored hash is well formed and of a scheme Postroom can verify.</summary>
    public bool IsSupported => Reason is null;

    /// <summary>
    /// True when the scheme itself is recognised, even if this particular hash is malformed;
    /// false for unknown and refused schemes.
    /// </summary>
    public bool IsKnownAlgorithm => Algorithm != PasswordHashAlgorithm.Unknown;
}
