using System.Security.Cryptography;
using System.Text;
using BCrypt.Net;
using Isopoh.Cryptography.SecureArray;

namespace Postroom.Passwords;

/// <summary>
/// Hashes mail users' passwords with Argon2id and verifies stored hashes, including the older
/// formats that migrations from vpopmail and Dovecot bring along.
/// </summary>
/// <remarks>
/// <para>
/// Stored hashes are accepted bare or behind a Dovecot <c>{SCHEME}</c> prefix (scheme names are
/// case-insensitive):
/// </para>
/// <list type="bullet">
/// <item><c>$argon2id$</c>, <c>$argon2i$</c>, <c>$argon2d$</c> (PHC strings, versions 19 and 16); <c>{ARGON2ID}</c>, <c>{ARGON2I}</c>.</item>
/// <item><c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c> bcrypt; <c>{BLF-CRYPT}</c>.</item>
/// <item><c>$1$</c> MD5-crypt; <c>{MD5-CRYPT}</c>.</item>
/// <item><c>$5$</c> SHA-256-crypt and <c>$6$</c> SHA-512-crypt, with optional <c>rounds=N$</c>; <c>{SHA256-CRYPT}</c>, <c>{SHA512-CRYPT}</c>.</item>
/// <item><c>{CRYPT}</c> followed by any of the crypt formats above (not DES crypt).</item>
/// </list>
/// <para>
/// Passwords are encoded as UTF-8. Every comparison of a computed hash with a stored one is
/// constant-time (<see cref="CryptographicOperations.FixedTimeEquals"/>).
/// </para>
/// </remarks>
public sealed class PasswordHasher
{
    private readonly PasswordHashingOptions _options;

    /// <summary>Creates a hasher with <see cref="PasswordHashingOptions.Default"/>.</summary>
    public PasswordHasher()
        : this(PasswordHashingOptions.Default)
    {
    }

    /// <summary>Creates a hasher that writes Argon2id hashes with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range Argon2 and Postroom accept.</exception>
    public PasswordHasher(PasswordHashingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>A hasher with the default (OWASP) parameters.</summary>
    public static PasswordHasher Default { get; } = new();

    /// <summary>The parameters new hashes are written with.</summary>
    public PasswordHashingOptions Options => _options;

    /// <summary>
    /// Hashes <paramref name="password"/> with Argon2id (version 19) and a fresh random salt.
    /// </summary>
    /// <returns>A PHC string such as <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>.</returns>
    public string HashPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parameters = new Argon2Hash(
            PasswordHashAlgorithm.Argon2id,
            Argon2Phc.Version13,
            _options.MemoryKib,
            _options.Iterations,
            _options.Parallelism,
            RandomNumberGenerator.GetBytes(_options.SaltLength),
            new byte[_options.HashLength]);
        var hash = Argon2Phc.Compute(Encoding.UTF8.GetBytes(password), parameters);
        return Argon2Phc.Format(parameters with { Hash = hash });
    }

    /// <summary>
    /// Checks <paramref name="password"/> against <paramref name="storedHash"/>. Never throws for a
    /// malformed or unsupported stored hash: a known scheme that cannot be parsed gives
    /// <see cref="PasswordVerificationResult.Invalid"/> with a message, an unknown or refused scheme
    /// (plaintext, DES crypt, ...) gives <see cref="PasswordVerificationResult.UnsupportedScheme"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is null.</exception>
    public static PasswordVerification Verify(string password, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parsed = StoredHashParser.Parse(storedHash);
        if (parsed.Verifier is null)
        {
            var reason = parsed.Scheme.Reason ?? "the password hash cannot be used";
            return parsed.Scheme.IsKnownAlgorithm
                ? PasswordVerification.Malformed(reason)
                : PasswordVerification.Unsupported(reason);
        }

        try
        {
            return parsed.Verifier(password) ? PasswordVerification.Valid : PasswordVerification.Invalid;
        }
        catch (Exception ex) when (ex is SaltParseException or ArgumentException or LockFailException)
        {
            // The parser validates structure first, so this is a safety net for library-specific rejections.
            return PasswordVerification.Malformed($"the password hash was rejected by the hashing library: {ex.Message}");
        }
    }

    /// <summary>
    /// True when <paramref name="storedHash"/> should be replaced by a fresh <see cref="HashPassword"/>
    /// result at the next successful login: anything that is not a well-formed Argon2id version 19
    /// hash with at least the configured memory, iterations, salt length and hash length.
    /// (Parallelism is not compared: for the same memory and iterations a different lane count is not weaker.)
    /// A Dovecot <c>{ARGON2ID}</c> prefix alone does not require a rehash.
    /// </summary>
    public bool NeedsRehash(string storedHash)
    {
        var argon2 = StoredHashParser.Parse(storedHash).Argon2;
        return argon2 is null
            || argon2.Algorithm != PasswordHashAlgorithm.Argon2id
            || argon2.Version != Argon2Phc.Version13
            || argon2.MemoryKib < _options.MemoryKib
            || argon2.Iterations < _options.Iterations
            || argon2.Salt.Length < _options.SaltLength
            || argon2.Hash.Length < _options.HashLength;
    }

    /// <summary>
    /// Identifies the scheme of <paramref name="storedHash"/> without a password, checking its
    /// structure fully, so configuration can be rejected at compile time. Never throws.
    /// </summary>
    /// <returns>
    /// The scheme; when <see cref="HashScheme.IsSupported"/> is false, <see cref="HashScheme.Reason"/>
    /// says why, e.g. "unsupported hash scheme '{SSHA}'…" or "not a password hash; store a hash, e.g. from `postroom passwd`".
    /// </returns>
    public static HashScheme Identify(string storedHash) => StoredHashParser.Parse(storedHash).Scheme;
}
