namespace Postroom.Passwords.Tests;

/// <summary>
/// Malformed, unsupported and refused stored hashes: never an exception, never Valid, and a reason
/// the config compiler can show.
/// </summary>
public sealed class StoredHashValidationTests
{
    private const string Argon2Params = "$argon2id$v=19$m=65536,t=2,p=1$";
    private const string Salt = "c29tZXNhbHQ";
    private const string Argon2Hash = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    private const string Sha512Hash = "svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1";

    /// <summary>Recognised schemes whose value is broken: Invalid, with "malformed ..." as the reason.</summary>
    public static TheoryData<string, PasswordHashAlgorithm, string> Malformed => new()
    {
        // MD5-crypt
        { "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK", PasswordHashAlgorithm.Md5Crypt, "22 characters" },
        { "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/x", PasswordHashAlgorithm.Md5Crypt, "22 characters" },
        { "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK_", PasswordHashAlgorithm.Md5Crypt, "[./0-9A-Za-z]" },
        { "$1$saltsalt", PasswordHashAlgorithm.Md5Crypt, "'$' between the salt and the hash" },
        { "$1$saltsaltX$qjXMvbEw8oaL.CzflDtaK/", PasswordHashAlgorithm.Md5Crypt, "longer than 8" },
        { "{MD5-CRYPT}", PasswordHashAlgorithm.Md5Crypt, "not followed by a hash" },
        // SHA-crypt
        { "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc", PasswordHashAlgorithm.Sha256Crypt, "43 characters" },
        { "$6$saltstring$" + Sha512Hash[..85], PasswordHashAlgorithm.Sha512Crypt, "86 characters" },
        { "$6$", PasswordHashAlgorithm.Sha512Crypt, "'$' between the salt and the hash" },
        { "$6$rounds=abc$saltstring$" + Sha512Hash, PasswordHashAlgorithm.Sha512Crypt, "rounds" },
        { "$6$rounds=-5$saltstring$" + Sha512Hash, PasswordHashAlgorithm.Sha512Crypt, "rounds" },
        { "$6$rounds=5000", PasswordHashAlgorithm.Sha512Crypt, "rounds" },
        { "$6$saltstringsaltstr$" + Sha512Hash, PasswordHashAlgorithm.Sha512Crypt, "longer than 16" },
        { "$6$salt string$" + Sha512Hash, PasswordHashAlgorithm.Sha512Crypt, "printable ASCII" },
        { "{SHA512-CRYPT}", PasswordHashAlgorithm.Sha512Crypt, "not followed by a hash" },
        // bcrypt
        { "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe", PasswordHashAlgorithm.Bcrypt, "60 characters" },
        { "$2b$5$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeWW", PasswordHashAlgorithm.Bcrypt, "two-digit cost" },
        { "$2b$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", PasswordHashAlgorithm.Bcrypt, "cost 3" },
        { "$2b$32$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", PasswordHashAlgorithm.Bcrypt, "cost 32" },
        { "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyO+W", PasswordHashAlgorithm.Bcrypt, "alphabet" },
        { "{BLF-CRYPT}$2y$", PasswordHashAlgorithm.Bcrypt, "60 characters" },
        // Argon2
        { "$argon2id$", PasswordHashAlgorithm.Argon2id, "expected $argon2id$v=19$m=" },
        { Argon2Params + Salt, PasswordHashAlgorithm.Argon2id, "expected $argon2id$v=19$m=" },
        { Argon2Params + Salt + "$" + Argon2Hash + "=", PasswordHashAlgorithm.Argon2id, "the hash must be unpadded base64" },
        { Argon2Params + Salt + "$" + Argon2Hash[..42], PasswordHashAlgorithm.Argon2id, "the hash must be unpadded base64" },
        { Argon2Params + Salt + "$CTFh!dXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", PasswordHashAlgorithm.Argon2id, "the hash must be unpadded base64" },
        { Argon2Params + Salt + "$CTF", PasswordHashAlgorithm.Argon2id, "the hash must be unpadded base64" },
        { Argon2Params + "c29t*ZXNhbHQ$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "the salt must be unpadded base64" },
        { Argon2Params + "c29tZQ$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "the salt must be unpadded base64 of 8" },
        { "$argon2id$v=19$m=65536,t=2$" + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "'m=<KiB>,t=<iterations>,p=<lanes>'" },
        { "$argon2id$v=19$p=1,t=2,m=65536$" + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "'m=<KiB>,t=<iterations>,p=<lanes>'" },
        { "$argon2id$v=19$m=65536,t=2,p=1,x=1$" + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "'m=<KiB>,t=<iterations>,p=<lanes>'" },
        { "$argon2id$v=19$m=99999999999,t=2,p=1$" + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "'m=<KiB>,t=<iterations>,p=<lanes>'" },
        { "$argon2id$v=20$m=65536,t=2,p=1$" + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "version" },
        { "$argon2id$v=19$m=65536,t=0,p=1$" + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "iterations t=0" },
        { "$argon2id$v=19$m=65536,t=2,p=0$" + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "parallelism p=0" },
        { "$argon2id$v=19$m=31,t=2,p=4$" + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "memory m=31" },
        { "$argon2id$v=19$m=8388608,t=2,p=1$" + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "memory m=8388608" },
        { "{ARGON2I}$argon2i$v=19", PasswordHashAlgorithm.Argon2i, "expected $argon2i$" },
    };

    /// <summary>Unknown, refused or non-hash values: UnsupportedScheme, with a reason.</summary>
    public static TheoryData<string, string> Unsupported => new()
    {
        { "", "empty" },
        { "   ", "whitespace" },
        { "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/\n", "whitespace" },
        { " $1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", "whitespace" },
        { "secret", "not a password hash; store a hash, e.g. from `postroom passwd`" },
        { "$secret", "not a password hash" },
        { "$se cret$x", "not a password hash" },
        // Traditional DES crypt of "password" with salt "ab" (libxcrypt), bare and as Dovecot {CRYPT}.
        { "abJnggxhB/yWI", "DES crypt" },
        { "{CRYPT}abJnggxhB/yWI", "DES crypt" },
        { "{crypt}abJnggxhB/yWI", "DES crypt" },
        { "_J9..CCCCXBrJUJV154M", "BSDi extended DES" },
        { "{CRYPT}", "not followed by a hash" },
        // Plaintext schemes.
        { "{PLAIN}secret", "plaintext password scheme '{PLAIN}' is refused" },
        { "{plain}secret", "plaintext password scheme '{plain}' is refused" },
        { "{CLEARTEXT}secret", "plaintext" },
        { "{PLAIN-TRUNC}6-secret", "plaintext" },
        // Other Dovecot schemes, encoding suffixes, broken prefixes.
        { "{SSHA}secret", "unsupported hash scheme '{SSHA}'" },
        { "{SHA512}secret", "unsupported hash scheme '{SHA512}'" },
        { "{MD5}$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", "unsupported hash scheme '{MD5}'" },
        { "{SHA512-CRYPT.b64}JDYkc2FsdA==", "encoding suffixes" },
        { "{SHA512-CRYPT.HEX}2436", "encoding suffixes" },
        { "{SHA512-CRYPT$6$saltstring$" + Sha512Hash, "closing" },
        { "{}secret", "not a Dovecot scheme name" },
        { "{a b}secret", "not a Dovecot scheme name" },
        // A Dovecot prefix that does not match the hash behind it.
        { "{SHA512-CRYPT}$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", "does not match the MD5-crypt hash" },
        { "{MD5-CRYPT}$6$saltstring$" + Sha512Hash, "does not match the SHA-512-crypt hash" },
        { "{ARGON2I}" + Argon2Params + Salt + "$" + Argon2Hash, "does not match the Argon2id hash" },
        { "{CRYPT}" + Argon2Params + Salt + "$" + Argon2Hash, "does not match the Argon2id hash" },
        { "{BLF-CRYPT}$6$saltstring$" + Sha512Hash, "does not match" },
        // Unknown or unsupported crypt identifiers.
        { "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "unsupported hash scheme '$2x$'" },
        { "$2$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "unsupported hash scheme '$2$'" },
        { "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7", "unsupported hash scheme '$y$' (yescrypt)" },
        { "$7$CU..../....3nYGh0ABK3fQ5aVZ5ZgdT1$kX3I6UwzsxvN9qZQmBBkJ7.Ag6ChUjnvaRQmvlbUqV5", "scrypt" },
        { "$apr1$saltsalt$abcdefghijklmnopqrstuv", "Apache MD5" },
        { "$ARGON2ID$v=19$m=65536,t=2,p=1$" + Salt + "$" + Argon2Hash, "unsupported hash scheme '$ARGON2ID$'" },
        { "$foo$bar", "unsupported hash scheme '$foo$'" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_hashes_of_known_schemes_are_invalid_with_a_reason(string stored, PasswordHashAlgorithm algorithm, string reason)
    {
        var scheme = PasswordHasher.Identify(stored);
        Assert.False(scheme.IsSupported);
        Assert.True(scheme.IsKnownAlgorithm);
        Assert.Equal(algorithm, scheme.Algorithm);
        Assert.StartsWith("malformed ", scheme.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, scheme.Reason, StringComparison.Ordinal);

        var result = PasswordHasher.Verify("secret", stored);
        Assert.Equal(PasswordVerificationResult.Invalid, result.Result);
        Assert.Equal(scheme.Reason, result.Message);
    }

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Unsupported_values_are_reported_with_a_reason(string stored, string reason)
    {
        var scheme = PasswordHasher.Identify(stored);
        Assert.False(scheme.IsSupported);
        Assert.Equal(PasswordHashAlgorithm.Unknown, scheme.Algorithm);
        Assert.Contains(reason, scheme.Reason, StringComparison.Ordinal);

        // Even the "right" password is not accepted.
        foreach (var password in new[] { "secret", "password", "U*U" })
        {
            var result = PasswordHasher.Verify(password, stored);
            Assert.Equal(PasswordVerificationResult.UnsupportedScheme, result.Result);
            Assert.Equal(scheme.Reason, result.Message);
        }
    }

    [Theory]
    [InlineData("{PLAIN}hunter2")]
    [InlineData("hunter2")]
    [InlineData("{CLEARTEXT}hunter2")]
    [InlineData("$hunter2")]
    public void Reasons_never_echo_what_may_be_a_plaintext_password(string stored)
    {
        var reason = PasswordHasher.Identify(stored).Reason;

        Assert.NotNull(reason);
        Assert.DoesNotContain("hunter2", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", PasswordHashAlgorithm.Md5Crypt, null)]
    [InlineData("{SHA512-CRYPT}$6$saltstring$" + Sha512Hash, PasswordHashAlgorithm.Sha512Crypt, "SHA512-CRYPT")]
    [InlineData("{Sha512-Crypt}$6$saltstring$" + Sha512Hash, PasswordHashAlgorithm.Sha512Crypt, "SHA512-CRYPT")]
    [InlineData("$6$rounds=10$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.", PasswordHashAlgorithm.Sha512Crypt, null)]
    [InlineData("$5$$FdNfA4gXqvCeO6iZs7G/.wwwoywYZqo0l1pwmfWaBA7", PasswordHashAlgorithm.Sha256Crypt, null)]
    [InlineData("$2y$10$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", PasswordHashAlgorithm.Bcrypt, null)]
    [InlineData("{CRYPT}$2y$10$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", PasswordHashAlgorithm.Bcrypt, "CRYPT")]
    [InlineData(Argon2Params + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, null)]
    [InlineData("{ARGON2ID}" + Argon2Params + Salt + "$" + Argon2Hash, PasswordHashAlgorithm.Argon2id, "ARGON2ID")]
    public void Identify_accepts_well_formed_hashes(string stored, PasswordHashAlgorithm algorithm, string? dovecotScheme)
    {
        Assert.Equal(new HashScheme(algorithm, dovecotScheme, null), PasswordHasher.Identify(stored));
    }

    [Fact]
    public void A_stored_rounds_value_below_the_minimum_verifies_with_the_clamped_count()
    {
        // Drepper's "rounds=10" vector, stored as written in the setting rather than as crypt(3) prints it.
        const string stored = "$6$rounds=10$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.";

        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify("the minimum number is still observed", stored));
    }
}
