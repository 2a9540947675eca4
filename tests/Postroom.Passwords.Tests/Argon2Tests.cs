namespace Postroom.Passwords.Tests;

/// <summary>
/// Argon2 PHC strings. The expected strings were produced on the build machine by the reference
/// implementation's CLI (phc-winner-argon2, Debian package <c>argon2</c> 0~20171227:
/// <c>echo -n PASSWORD | argon2 SALT -id|-i|-d -t T -m LOG2M|-k KIB -p P -l LEN [-v 10] -e</c>);
/// the first one is also the example in the phc-winner-argon2 README.
/// </summary>
public sealed class Argon2Tests
{
    public static TheoryData<string, string, PasswordHashAlgorithm> Vectors => new()
    {
        // argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 (README example).
        { "password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", PasswordHashAlgorithm.Argon2id },
        // argon2 somesalt -i -t 2 -m 16 -p 1 -l 32.
        { "password", "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA", PasswordHashAlgorithm.Argon2i },
        // argon2 somesalt -d -t 2 -m 16 -p 1 -l 32.
        { "password", "$argon2d$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$lV5dWxY6G2C7o1/DbQSWR0+6T2tZrVNihmbwf7L5Pq8", PasswordHashAlgorithm.Argon2d },
        // Version 1.0: argon2 somesalt -i -t 2 -m 16 -p 1 -l 32 -v 10.
        { "password", "$argon2i$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ", PasswordHashAlgorithm.Argon2i },
        // Version 1.0 in the legacy form without "v=": argon2 saltsaltsalt -i -t 3 -k 256 -p 1 -l 32 -v 10 (printed with v=16).
        { "secret", "$argon2i$m=256,t=3,p=1$c2FsdHNhbHRzYWx0$khSGNrfcZkYI40t4CUH+MVylwci8HIU1T2+Lhezdu4I", PasswordHashAlgorithm.Argon2i },
        // argon2 saltsaltsalt -d -t 3 -k 256 -p 1 -l 32.
        { "secret", "$argon2d$v=19$m=256,t=3,p=1$c2FsdHNhbHRzYWx0$CIcRZEU7TQfcziG86qMUU2ocHqw9kICauIfBFwtGdWY", PasswordHashAlgorithm.Argon2d },
        // argon2 somesalt -id -t 3 -m 12 -p 4 -l 32 (several lanes).
        { "password", "$argon2id$v=19$m=4096,t=3,p=4$c29tZXNhbHQ$poE/0h2cjbv+UlPDgRVOHqwlmCAYo5LF5leMrvQqVrI", PasswordHashAlgorithm.Argon2id },
        // UTF-8 password, 16-byte output: argon2 saltysaltysalt -id -t 1 -k 256 -p 2 -l 16.
        { "Pässwörd", "$argon2id$v=19$m=256,t=1,p=2$c2FsdHlzYWx0eXNhbHQ$/OYVNM8y68ccVtiOal3Zzg", PasswordHashAlgorithm.Argon2id },
        // OWASP defaults: argon2 Postroom-salt-16 -id -t 2 -k 19456 -p 1 -l 32.
        { "correct horse battery staple", "$argon2id$v=19$m=19456,t=2,p=1$UG9zdHJvb20tc2FsdC0xNg$CEsHHZDSrhu66S6PFgEShGJInQaoKNaDCdzlHuXJx1c", PasswordHashAlgorithm.Argon2id },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_accepts_the_right_password_and_rejects_a_wrong_one(string password, string hash, PasswordHashAlgorithm algorithm)
    {
        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify(password, hash));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify(password + "1", hash));
        Assert.Equal(algorithm, PasswordHasher.Identify(hash).Algorithm);
    }

    [Theory]
    // argon2 saltsaltsalt -id / -i -t 3 -k 256 -p 1 -l 32, password "secret".
    [InlineData("{ARGON2ID}$argon2id$v=19$m=256,t=3,p=1$c2FsdHNhbHRzYWx0$wTcY0Tu1a5D2UEWYQTfMT3znEdRxE2oQ/WfcG4jzTM4", PasswordHashAlgorithm.Argon2id)]
    [InlineData("{argon2id}$argon2id$v=19$m=256,t=3,p=1$c2FsdHNhbHRzYWx0$wTcY0Tu1a5D2UEWYQTfMT3znEdRxE2oQ/WfcG4jzTM4", PasswordHashAlgorithm.Argon2id)]
    [InlineData("{ARGON2I}$argon2i$v=19$m=256,t=3,p=1$c2FsdHNhbHRzYWx0$Qzj824+RYTikdM145ved1aZSzjXjrK5Vy96/vtxbZfM", PasswordHashAlgorithm.Argon2i)]
    [InlineData("$argon2i$v=19$m=256,t=3,p=1$c2FsdHNhbHRzYWx0$Qzj824+RYTikdM145ved1aZSzjXjrK5Vy96/vtxbZfM", PasswordHashAlgorithm.Argon2i)]
    public void Dovecot_prefixed_hashes_verify(string stored, PasswordHashAlgorithm algorithm)
    {
        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify("secret", stored));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify("Secret", stored));
        Assert.Equal(algorithm, PasswordHasher.Identify(stored).Algorithm);
    }

    [Theory]
    // One hash character changed.
    [InlineData("$argon2id$v=19$m=256,t=3,p=1$c2FsdHNhbHRzYWx0$wTcY0Tu1a5D2UEWYQTfMT3znEdRxE2oR/WfcG4jzTM4")]
    // Different salt.
    [InlineData("$argon2id$v=19$m=256,t=3,p=1$c2FsdHNhbHRzYWx1$wTcY0Tu1a5D2UEWYQTfMT3znEdRxE2oQ/WfcG4jzTM4")]
    // Different parameters.
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c2FsdHNhbHRzYWx0$wTcY0Tu1a5D2UEWYQTfMT3znEdRxE2oQ/WfcG4jzTM4")]
    [InlineData("$argon2id$v=16$m=256,t=3,p=1$c2FsdHNhbHRzYWx0$wTcY0Tu1a5D2UEWYQTfMT3znEdRxE2oQ/WfcG4jzTM4")]
    // Same parameters and output, wrong variant.
    [InlineData("$argon2d$v=19$m=256,t=3,p=1$c2FsdHNhbHRzYWx0$wTcY0Tu1a5D2UEWYQTfMT3znEdRxE2oQ/WfcG4jzTM4")]
    public void A_tampered_hash_does_not_verify(string stored)
    {
        // A plain mismatch: Invalid without a "malformed" message.
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify("secret", stored));
    }
}
