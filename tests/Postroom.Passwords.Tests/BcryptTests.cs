namespace Postroom.Passwords.Tests;

/// <summary>
/// bcrypt through BCrypt.Net-Next. The <c>$2a$</c> vectors are the well-known OpenBSD/John the Ripper
/// ("U*U" ...) and jBCrypt test vectors; each one, and its <c>$2b$</c> and <c>$2y$</c> spelling, was
/// re-checked on the build machine with libxcrypt (Python 3.11 <c>crypt.crypt(password, hash) == hash</c>).
/// </summary>
public sealed class BcryptTests
{
    public static TheoryData<string, string> Vectors()
    {
        (string Password, string Hash)[] baseVectors =
        [
            ("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
            ("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"),
            ("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"),
            ("", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"),
            ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored",
                "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui"),
            ("", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."),
            ("a", "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe"),
            ("abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"),
            ("abcdefghijklmnopqrstuvwxyz", "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC"),
            ("~!@#$%^&*()      ~!@#$%^&*()PNBFRD", "$2a$06$fPIsBO8qRqkjj273rfaOI.HtSV9jLDpTbZn782DC6/t7qT67P6FfO"),
            // UTF-8 password, computed with libxcrypt.
            ("Pässwörd €", "$2b$04$abcdefghijklmnopqrstuupLAE.5VksLHu7ghnoTUsbEhCLdhav92"),
        ];

        var data = new TheoryData<string, string>();
        foreach (var (password, hash) in baseVectors)
        {
            foreach (var revision in new[] { "2a", "2b", "2y" })
            {
                data.Add(password, "$" + revision + hash[3..]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_accepts_the_right_password_and_rejects_a_wrong_one(string password, string hash)
    {
        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify(password, hash));
        // Changed at the front: bcrypt ignores bytes after the 72nd, so appending may not change the hash.
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify("x" + password, hash));
        Assert.Equal(PasswordHashAlgorithm.Bcrypt, PasswordHasher.Identify(hash).Algorithm);
    }

    [Fact]
    public void Only_the_first_72_bytes_count()
    {
        const string hash = "$2b$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";

        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", hash));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345678", hash));
    }

    [Theory]
    [InlineData("{BLF-CRYPT}$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")]
    [InlineData("{blf-crypt}$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")]
    [InlineData("{CRYPT}$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")]
    public void Dovecot_prefixed_hashes_verify(string stored)
    {
        Assert.Equal(PasswordVerification.Valid, PasswordHasher.Verify("U*U", stored));
        Assert.Equal(PasswordVerification.Invalid, PasswordHasher.Verify("U*U*", stored));
        Assert.Equal(PasswordHashAlgorithm.Bcrypt, PasswordHasher.Identify(stored).Algorithm);
    }
}
