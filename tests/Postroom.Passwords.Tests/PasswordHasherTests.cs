using System.Text.RegularExpressions;

namespace Postroom.Passwords.Tests;

/// <summary>Hashing new passwords with Argon2id, options, and the rehash decision.</summary>
public sealed class PasswordHasherTests
{
    // Small parameters keep the round-trip tests fast; the format is the same as with the defaults.
    private static readonly PasswordHasher Fast = new(new PasswordHashingOptions { MemoryKib = 64, Iterations = 1, Parallelism = 1 });

    [Theory]
    [InlineData("password")]
    [InlineData("")]
    [InlineData(" leading and trailing spaces ")]
    [InlineData("Pässwörd € 🔑")]
    [InlineData("$6$looks$like$a$hash")]
    public void HashPassword_round_trips(string password)
    {
        var hash = Fast.HashPassword(password);

        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify(password, hash));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify(password + "?", hash));
    }

    [Fact]
    public void HashPassword_round_trips_a_long_password()
    {
        var password = new string('x', 4096);
        var hash = Fast.HashPassword(password);

        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify(password, hash));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify(password[..^1], hash));
    }

    [Fact]
    public void HashPassword_writes_an_argon2id_phc_string_with_the_configured_parameters()
    {
        var hasher = new PasswordHasher(new PasswordHashingOptions { MemoryKib = 128, Iterations = 3, Parallelism = 2, SaltLength = 24, HashLength = 40 });

        var hash = hasher.HashPassword("secret");

        // 24-byte salt = 32 base64 characters, 40-byte hash = 54 (unpadded).
        Assert.Matches(new Regex(@"^\$argon2id\$v=19\$m=128,t=3,p=2\$[A-Za-z0-9+/]{32}\$[A-Za-z0-9+/]{54}$"), hash);
        var scheme = PasswordHasher.Identify(hash);
        Assert.True(scheme.IsSupported, scheme.Reason);
        Assert.Equal(PasswordHashAlgorithm.Argon2id, scheme.Algorithm);
        Assert.Null(scheme.DovecotScheme);
        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify("secret", hash));
    }

    [Fact]
    public void HashPassword_with_the_defaults_uses_the_OWASP_parameters()
    {
        Assert.Equal(new PasswordHashingOptions { MemoryKib = 19456, Iterations = 2, Parallelism = 1, SaltLength = 16, HashLength = 32 }, PasswordHashingOptions.Default);

        var hash = PasswordHasher.Default.HashPassword("correct horse battery staple");

        Assert.Matches(new Regex(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$"), hash);
        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify("correct horse battery staple", hash));
        Assert.False(PasswordHasher.Default.NeedsRehash(hash));
    }

    [Fact]
    public void HashPassword_uses_a_fresh_salt_every_time()
    {
        var hashes = Enumerable.Range(0, 5).Select(_ => Fast.HashPassword("same password")).ToList();
        var salts = hashes.Select(h => h.Split('$')[4]).ToList();

        Assert.Equal(5, salts.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(5, hashes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(hashes, h => Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify("same password", h)));
    }

    public static TheoryData<PasswordHashingOptions> BadOptions => new()
    {
        new PasswordHashingOptions { MemoryKib = 7 },
        new PasswordHashingOptions { MemoryKib = 31, Parallelism = 4 },
        new PasswordHashingOptions { MemoryKib = (4 * 1024 * 1024) + 1 },
        new PasswordHashingOptions { Iterations = 0 },
        new PasswordHashingOptions { Parallelism = 0 },
        new PasswordHashingOptions { SaltLength = 7 },
        new PasswordHashingOptions { HashLength = 3 },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Out_of_range_options_are_refused(PasswordHashingOptions options)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(options));
    }

    [Fact]
    public void Verify_rejects_a_null_password_but_not_a_null_hash()
    {
        Assert.Throws<ArgumentNullException>(() => PasswordHasher.Verify(null!, "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"));
        Assert.Equal(PasswordVerificationResult.UnsupportedScheme, PasswordHasher.Verify("x", null!).Result);
        Assert.False(PasswordHasher.Identify(null!).IsSupported);
    }

    private const string OwaspSalt16 = "UG9zdHJvb20tc2FsdC0xNg";
    private const string Hash32 = "CEsHHZDSrhu66S6PFgEShGJInQaoKNaDCdzlHuXJx1c";

    [Theory]
    // Exactly the defaults (a real hash from the reference CLI), also with a Dovecot prefix.
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$" + OwaspSalt16 + "$" + Hash32, false)]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$" + OwaspSalt16 + "$" + Hash32, false)]
    // Stronger memory / iterations, or a different lane count: fine.
    [InlineData("$argon2id$v=19$m=65536,t=3,p=1$" + OwaspSalt16 + "$" + Hash32, false)]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=4$" + OwaspSalt16 + "$" + Hash32, false)]
    // Weaker in one respect each.
    [InlineData("$argon2id$v=19$m=19455,t=2,p=1$" + OwaspSalt16 + "$" + Hash32, true)]
    [InlineData("$argon2id$v=19$m=65536,t=1,p=1$" + OwaspSalt16 + "$" + Hash32, true)]
    [InlineData("$argon2id$v=16$m=19456,t=2,p=1$" + OwaspSalt16 + "$" + Hash32, true)]
    [InlineData("$argon2id$m=19456,t=2,p=1$" + OwaspSalt16 + "$" + Hash32, true)]
    [InlineData("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", true)] // 8-byte salt
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$" + OwaspSalt16 + "$/OYVNM8y68ccVtiOal3Zzg", true)] // 16-byte hash
    // Other algorithms, however strong.
    [InlineData("$argon2i$v=19$m=65536,t=4,p=1$" + OwaspSalt16 + "$" + Hash32, true)]
    [InlineData("$argon2d$v=19$m=65536,t=4,p=1$" + OwaspSalt16 + "$" + Hash32, true)]
    [InlineData("$2b$12$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", true)]
    [InlineData("{SHA512-CRYPT}$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", true)]
    [InlineData("$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", true)]
    // Unusable hashes always need replacing.
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$" + OwaspSalt16, true)]
    [InlineData("{PLAIN}secret", true)]
    [InlineData("", true)]
    public void NeedsRehash_is_false_only_for_argon2id_at_least_as_strong_as_the_options(string stored, bool expected)
    {
        Assert.Equal(expected, PasswordHasher.Default.NeedsRehash(stored));
    }

    [Fact]
    public void NeedsRehash_follows_the_configured_options()
    {
        var stronger = new PasswordHasher(new PasswordHashingOptions { MemoryKib = 65536, Iterations = 3 });
        var weakHash = Fast.HashPassword("x");

        Assert.True(stronger.NeedsRehash("$argon2id$v=19$m=19456,t=2,p=1$" + OwaspSalt16 + "$" + Hash32));
        Assert.False(stronger.NeedsRehash("$argon2id$v=19$m=65536,t=3,p=1$" + OwaspSalt16 + "$" + Hash32));
        Assert.True(PasswordHasher.Default.NeedsRehash(weakHash));
        Assert.False(Fast.NeedsRehash(weakHash));
    }
}
