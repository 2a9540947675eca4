namespace Postroom.Passwords.Tests;

/// <summary>
/// MD5-crypt (Poul-Henning Kamp's md5crypt). Every expected string was produced on the build machine
/// by OpenSSL 3.0 (<c>openssl passwd -1 -salt SALT PASSWORD</c>; the empty password via <c>-stdin</c>)
/// and independently by libxcrypt (Python 3.11 <c>crypt.crypt(PASSWORD, "$1$" + SALT)</c>); both agree.
/// </summary>
public sealed class Md5CryptTests
{
    public static TheoryData<string, string, string> Vectors => new()
    {
        { "$1$saltsalt", "password", "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/" },
        { "$1$abc", "", "$1$abc$Or2rbeUYTvt12aiVzMuS/." },
        { "$1$", "password", "$1$$I2o9Z7NcvQAKp7wyCTlia0" },
        // Salts longer than 8 characters are truncated.
        { "$1$saltsaltextra", "password", "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/" },
        // Longer than one MD5 block of the alternate sum.
        { "$1$12345678", "0123456789abcdefghijklmnopqrstuvwxyz0123456789", "$1$12345678$s2L7TgFiJ2v8Kguc1rtgo0" },
        // Non-ASCII password, UTF-8.
        { "$1$Q./z9Ab", "Pässwörd €", "$1$Q./z9Ab$Ji/VcDb3yCYQJTkEQEpmp/" },
        { "$1$xy", "a", "$1$xy$93sbPXpiY9Sa7GrWxhkre0" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Crypt_reproduces_the_vector(string setting, string password, string expected)
    {
        Assert.Equal(expected, Md5Crypt.Crypt(password, setting));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_accepts_the_right_password_and_rejects_a_wrong_one(string setting, string password, string expected)
    {
        _ = setting;
        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify(password, expected));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify(password + "!", expected));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify(password.ToUpperInvariant() + "A", expected));
    }

    [Theory]
    [InlineData("{MD5-CRYPT}")]
    [InlineData("{md5-crypt}")]
    [InlineData("{CRYPT}")]
    public void Dovecot_prefixed_hashes_verify(string prefix)
    {
        var stored = prefix + "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/";

        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify("password", stored));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify("Password", stored));
        Assert.Equal(PasswordHashAlgorithm.Md5Crypt, PasswordHasher.Identify(stored).Algorithm);
    }
}
