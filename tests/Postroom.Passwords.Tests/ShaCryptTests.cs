namespace Postroom.Passwords.Tests;

/// <summary>
/// SHA-256-crypt and SHA-512-crypt against the test vectors published in Ulrich Drepper's
/// "Unix crypt using SHA-256 and SHA-512" (https://www.akkadia.org/drepper/SHA-crypt.txt).
/// Every expected string was re-checked on the build machine with libxcrypt (Python 3.11
/// <c>crypt.crypt</c>) and OpenSSL 3.0 (<c>openssl passwd -5/-6 -salt ...</c>). libxcrypt refuses
/// rounds below 1000, so the two "rounds=10" vectors were checked with OpenSSL (which clamps like
/// the spec) and with libxcrypt using an explicit rounds=1000.
/// </summary>
public sealed class ShaCryptTests
{
    private const string LongText =
        "a very much longer text to encrypt.  This one even stretches over more" + "than one line.";

    public static TheoryData<string, string, string> SpecVectors => new()
    {
        { "$5$saltstring", "Hello world!", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5" },
        { "$5$rounds=10000$saltstringsaltstring", "Hello world!", "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA" },
        { "$5$rounds=5000$toolongsaltstring", "This is just a test", "$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5" },
        { "$5$rounds=1400$anotherlongsaltstring", LongText, "$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1" },
        { "$5$rounds=77777$short", "we have a short salt string but not a short password", "$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/" },
        { "$5$rounds=123456$asaltof16chars..", "a short string", "$5$rounds=123456$asaltof16chars..$gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD" },
        { "$5$rounds=10$roundstoolow", "the minimum number is still observed", "$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC" },
        { "$6$saltstring", "Hello world!", "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1" },
        { "$6$rounds=10000$saltstringsaltstring", "Hello world!", "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v." },
        { "$6$rounds=5000$toolongsaltstring", "This is just a test", "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0" },
        { "$6$rounds=1400$anotherlongsaltstring", LongText, "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1" },
        { "$6$rounds=77777$short", "we have a short salt string but not a short password", "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0" },
        { "$6$rounds=123456$asaltof16chars..", "a short string", "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1" },
        { "$6$rounds=10$roundstoolow", "the minimum number is still observed", "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX." },
    };

    /// <summary>Further vectors computed with libxcrypt (Python crypt) and, where it accepts the input, OpenSSL.</summary>
    public static TheoryData<string, string, string> ExtraVectors => new()
    {
        // Empty password (libxcrypt only; `openssl passwd -5/-6` refuses an empty password).
        { "$5$saltstring", "", "$5$saltstring$FdNfA4gXqvCeO6iZs7G/.wwwoywYZqo0l1pwmfWaBA7" },
        { "$6$saltstring", "", "$6$saltstring$kyGrqt6gmjAdtFLPrflEFifSYLCWWq1pyx95SvqinLDy2UHmj0sTF0MSLMwxPFZc3tu5kQckI8fks0zOPda3n1" },
        // Non-ASCII password as UTF-8 (libxcrypt and OpenSSL agree).
        { "$6$rounds=1000$Q./z9Ab", "Pässwörd €", "$6$rounds=1000$Q./z9Ab$P50Y4SU3rmhIoZBOtbRykpD7PQQQ93xWyUOjTBhxfVEaGchsS2A0ICyUvnv4d4fkv9bS/zMQY/hbB22zoVwiH/" },
        { "$5$rounds=1000$x", "a", "$5$rounds=1000$x$SQwVBUy5LmuITCN/Pzolg3R9CfHva3WZZYnD1O10qB5" },
    };

    [Theory]
    [MemberData(nameof(SpecVectors))]
    [MemberData(nameof(ExtraVectors))]
    public void Crypt_reproduces_the_vector_including_salt_truncation_and_rounds_clamping(string setting, string password, string expected)
    {
        var variant = setting.StartsWith("$5$", StringComparison.Ordinal) ? ShaCryptVariant.Sha256 : ShaCryptVariant.Sha512;

        Assert.Equal(expected, ShaCrypt.Crypt(variant, password, setting));
    }

    [Theory]
    [MemberData(nameof(SpecVectors))]
    [MemberData(nameof(ExtraVectors))]
    public void Verify_accepts_the_right_password_and_rejects_a_wrong_one(string setting, string password, string expected)
    {
        _ = setting;
        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify(password, expected));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify(password + "x", expected));
    }

    [Theory]
    [InlineData("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", "{SHA256-CRYPT}", PasswordHashAlgorithm.Sha256Crypt)]
    [InlineData("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", "{sha256-crypt}", PasswordHashAlgorithm.Sha256Crypt)]
    [InlineData("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", "{CRYPT}", PasswordHashAlgorithm.Sha256Crypt)]
    [InlineData("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", "{SHA512-CRYPT}", PasswordHashAlgorithm.Sha512Crypt)]
    [InlineData("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", "{Sha512-Crypt}", PasswordHashAlgorithm.Sha512Crypt)]
    [InlineData("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", "{crypt}", PasswordHashAlgorithm.Sha512Crypt)]
    public void Dovecot_prefixed_hashes_verify(string hash, string prefix, PasswordHashAlgorithm algorithm)
    {
        var stored = prefix + hash;

        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify("Hello world!", stored));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify("hello world!", stored));
        var scheme = PasswordHasher.Identify(stored);
        Assert.True(scheme.IsSupported, scheme.Reason);
        Assert.Equal(algorithm, scheme.Algorithm);
        Assert.Equal(prefix[1..^1].ToUpperInvariant(), scheme.DovecotScheme);
    }

    [Theory]
    [InlineData("0", 1000)]
    [InlineData("10", 1000)]
    [InlineData("999", 1000)]
    [InlineData("1000", 1000)]
    [InlineData("0005000", 5000)]
    [InlineData("999999999", 999_999_999)]
    [InlineData("1000000000", 999_999_999)]
    [InlineData("99999999999999999999999999", 999_999_999)]
    public void Rounds_are_clamped_to_the_spec_range(string digits, int expected)
    {
        Assert.True(ShaCrypt.TryParseRounds(digits, out var rounds));
        Assert.Equal(expected, rounds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("5k")]
    public void Rounds_that_are_not_plain_digits_are_rejected(string digits)
    {
        Assert.False(ShaCrypt.TryParseRounds(digits, out _));
    }

    [Fact]
    public void Rounds_default_to_5000_when_absent()
    {
        // Same hash as the "rounds=5000" spec vector, but the option omitted: the spec's default.
        var withoutOption = ShaCrypt.Crypt(ShaCryptVariant.Sha256, "This is just a test", "$5$toolongsaltstring");

        Assert.Equal("$5$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5", withoutOption);
    }
}
