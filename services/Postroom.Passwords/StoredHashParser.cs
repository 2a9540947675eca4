using System.Security.Cryptography;
using System.Text;

namespace Postroom.Passwords;

/// <summary>A stored hash after parsing: what it is, and how to check a password against it.</summary>
internal sealed class ParsedHash
{
    /// <summary>The identification result reported by <see cref="PasswordHasher.Identify"/>.</summary>
    public required HashScheme Scheme { get; init; }

    /// <summary>Checks a password in constant time; null when the hash is unusable.</summary>
    public Func<string, bool>? Verifier { get; init; }

    /// <summary>The Argon2 parameters, for Argon2 hashes.</summary>
    public Argon2Hash? Argon2 { get; init; }
}

/// <summary>
/// Recognises stored password hashes: bare crypt/PHC strings (<c>$argon2id$</c>, <c>$1$</c>,
/// <c>$5$</c>, <c>$6$</c>, <c>$2a$/$2b$/$2y$</c>) and the same behind a Dovecot <c>{SCHEME}</c> prefix.
/// It never throws for malformed input; problems come back as a reason.
/// </summary>
internal static class StoredHashParser
{
    private const string StoreAHash = "store a hash, e.g. from `postroom passwd`";

    private static readonly PasswordHashAlgorithm[] CryptFamily =
    [
        PasswordHashAlgorithm.Md5Crypt,
        PasswordHashAlgorithm.Sha256Crypt,
        PasswordHashAlgorithm.Sha512Crypt,
        PasswordHashAlgorithm.Bcrypt,
    ];

    // Identifiers of schemes that are recognisable but deliberately unsupported, to name them in messages.
    private static readonly Dictionary<string, string> KnownUnsupportedIds = new(StringComparer.Ordinal)
    {
        ["2"] = "original 1997 bcrypt",
        ["2x"] = "PHP's bcrypt with the 8-bit sign-extension bug",
        ["3"] = "FreeBSD NT-hash",
        ["7"] = "scrypt",
        ["apr1"] = "Apache MD5",
        ["gy"] = "gost-yescrypt",
        ["md5"] = "Sun MD5",
        ["sha1"] = "NetBSD SHA-1 crypt",
        ["y"] = "yescrypt",
        ["argon2"] = "Argon2 without a variant",
        ["scrypt"] = "scrypt",
        ["pbkdf2"] = "PBKDF2",
        ["pbkdf2-sha256"] = "PBKDF2-SHA256",
        ["pbkdf2-sha512"] = "PBKDF2-SHA512",
    };

    /// <summary>Parses <paramref name="stored"/>; never throws.</summary>
    public static ParsedHash Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return Unsupported($"the password hash is empty; {StoreAHash}");
        }

        if (char.IsWhiteSpace(stored[0]) || char.IsWhiteSpace(stored[^1]))
        {
            return Unsupported("the password hash has leading or trailing whitespace; remove it");
        }

        return stored[0] == '{' ? ParseDovecot(stored) : ParseBare(stored, dovecotScheme: null);
    }

    private static ParsedHash ParseDovecot(string stored)
    {
        var close = stored.IndexOf('}', StringComparison.Ordinal);
        if (close < 0)
        {
            return Unsupported($"a Dovecot scheme prefix looks like '{{SHA512-CRYPT}}' and needs a closing '}}'; {StoreAHash}");
        }

        var written = stored[..(close + 1)];
        var scheme = stored[1..close].ToUpperInvariant();
        var value = stored[(close + 1)..];

        if (scheme.Length == 0 || scheme.Length > 32 || !IsSchemeName(scheme))
        {
            return Unsupported($"'{{...}}' at the start is not a Dovecot scheme name; {StoreAHash}");
        }

        var dot = scheme.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            return Unsupported(
                $"unsupported hash scheme '{written}': Dovecot encoding suffixes such as '{scheme[dot..]}' are not supported; " +
                $"store the hash with the plain '{{{scheme[..dot]}}}' prefix if that scheme is supported");
        }

        PasswordHashAlgorithm[] allowed;
        switch (scheme)
        {
            case "PLAIN" or "CLEARTEXT" or "PLAIN-TRUNC":
                return Unsupported(
                    $"plaintext password scheme '{written}' is refused: Postroom stores only password hashes; " +
                    "hash the password with `postroom passwd`");
            case "ARGON2ID":
                allowed = [PasswordHashAlgorithm.Argon2id];
                break;
            case "ARGON2I":
                allowed = [PasswordHashAlgorithm.Argon2i];
                break;
            case "MD5-CRYPT":
                allowed = [PasswordHashAlgorithm.Md5Crypt];
                break;
            case "SHA256-CRYPT":
                allowed = [PasswordHashAlgorithm.Sha256Crypt];
                break;
            case "SHA512-CRYPT":
                allowed = [PasswordHashAlgorithm.Sha512Crypt];
                break;
            case "BLF-CRYPT":
                allowed = [PasswordHashAlgorithm.Bcrypt];
                break;
            case "CRYPT":
                allowed = CryptFamily;
                break;
            default:
                return Unsupported(
                    $"unsupported hash scheme '{written}'; supported Dovecot schemes are {{ARGON2ID}}, {{ARGON2I}}, " +
                    "{BLF-CRYPT}, {SHA512-CRYPT}, {SHA256-CRYPT}, {MD5-CRYPT} and {CRYPT}");
        }

        if (value.Length == 0)
        {
            return allowed.Length == 1
                ? Malformed(allowed[0], scheme, $"'{written}' is not followed by a hash")
                : Unsupported($"'{written}' is not followed by a hash; {StoreAHash}", scheme);
        }

        var inner = ParseBare(value, scheme);
        if (!inner.Scheme.IsKnownAlgorithm || Array.IndexOf(allowed, inner.Scheme.Algorithm) >= 0)
        {
            return inner;
        }

        return new ParsedHash
        {
            Scheme = new HashScheme(
                PasswordHashAlgorithm.Unknown,
                scheme,
                $"Dovecot scheme '{written}' does not match the {Describe(inner.Scheme.Algorithm)} hash that follows it; " +
                "use the matching prefix (or {CRYPT} for any crypt format)"),
        };
    }

    private static ParsedHash ParseBare(string value, string? dovecotScheme)
    {
        if (value[0] == '$')
        {
            var end = value.IndexOf('$', 1);
            if (end < 0)
            {
                return Unsupported($"not a password hash; {StoreAHash}", dovecotScheme);
            }

            var id = value[1..end];
            switch (id)
            {
                case "argon2id":
                    return ParseArgon2(value, PasswordHashAlgorithm.Argon2id, dovecotScheme);
                case "argon2i":
                    return ParseArgon2(value, PasswordHashAlgorithm.Argon2i, dovecotScheme);
                case "argon2d":
                    return ParseArgon2(value, PasswordHashAlgorithm.Argon2d, dovecotScheme);
                case "1":
                    return ParseMd5Crypt(value, dovecotScheme);
                case "5":
                    return ParseShaCrypt(value, ShaCryptVariant.Sha256, dovecotScheme);
                case "6":
                    return ParseShaCrypt(value, ShaCryptVariant.Sha512, dovecotScheme);
                case "2a" or "2b" or "2y":
                    return ParseBcrypt(value, dovecotScheme);
                default:
                    if (KnownUnsupportedIds.TryGetValue(id, out var name))
                    {
                        return Unsupported($"unsupported hash scheme '${id}$' ({name})", dovecotScheme);
                    }

                    return IsSchemeName(id) && id.Length <= 32
                        ? Unsupported($"unsupported hash scheme '${id}$'", dovecotScheme)
                        : Unsupported($"not a password hash; {StoreAHash}", dovecotScheme);
            }
        }

        if (value.Length == 20 && value[0] == '_' && CryptBase64.IsValid(value.AsSpan(1)))
        {
            return Unsupported(
                "BSDi extended DES crypt hashes are not supported; the user must set a new password " +
                "(or, if this is a plaintext password, " + StoreAHash + ")",
                dovecotScheme);
        }

        if (value.Length == 13 && CryptBase64.IsValid(value))
        {
            return Unsupported(
                "traditional DES crypt hashes are not supported (DES crypt uses only the first 8 characters of a password); " +
                "the user must set a new password (or, if this is a plaintext password, " + StoreAHash + ")",
                dovecotScheme);
        }

        return Unsupported($"not a password hash; {StoreAHash}", dovecotScheme);
    }

    private static ParsedHash ParseArgon2(string value, PasswordHashAlgorithm algorithm, string? dovecotScheme)
    {
        var parsed = Argon2Phc.TryParse(value, algorithm, out var problem);
        if (parsed is null)
        {
            return Malformed(algorithm, dovecotScheme, problem!);
        }

        return new ParsedHash
        {
            Scheme = new HashScheme(algorithm, dovecotScheme, null),
            Argon2 = parsed,
            Verifier = password => Argon2Phc.Verify(Encoding.UTF8.GetBytes(password), parsed),
        };
    }

    private static ParsedHash ParseMd5Crypt(string value, string? dovecotScheme)
    {
        const PasswordHashAlgorithm algorithm = PasswordHashAlgorithm.Md5Crypt;
        var problem = SplitSaltAndHash(value.AsSpan(Md5Crypt.Magic.Length), Md5Crypt.MaxSaltLength, Md5Crypt.EncodedHashLength, out var salt, out var hash);
        if (problem is not null)
        {
            return Malformed(algorithm, dovecotScheme, problem);
        }

        return new ParsedHash
        {
            Scheme = new HashScheme(algorithm, dovecotScheme, null),
            Verifier = password => FixedTimeEquals(Md5Crypt.ComputeHash(Encoding.UTF8.GetBytes(password), Encoding.ASCII.GetBytes(salt)), hash),
        };
    }

    private static ParsedHash ParseShaCrypt(string value, ShaCryptVariant variant, string? dovecotScheme)
    {
        var algorithm = variant == ShaCryptVariant.Sha256 ? PasswordHashAlgorithm.Sha256Crypt : PasswordHashAlgorithm.Sha512Crypt;
        var rest = value.AsSpan(ShaCrypt.Magic(variant).Length);
        var rounds = ShaCrypt.DefaultRounds;
        if (rest.StartsWith(ShaCrypt.RoundsPrefix, StringComparison.Ordinal))
        {
            var afterPrefix = rest[ShaCrypt.RoundsPrefix.Length..];
            var end = afterPrefix.IndexOf('$');
            if (end < 0 || !ShaCrypt.TryParseRounds(afterPrefix[..end], out rounds))
            {
                return Malformed(algorithm, dovecotScheme, "the rounds option must look like 'rounds=5000$'");
            }

            rest = afterPrefix[(end + 1)..];
        }

        var problem = SplitSaltAndHash(rest, ShaCrypt.MaxSaltLength, ShaCrypt.EncodedHashLength(variant), out var salt, out var hash);
        if (problem is not null)
        {
            return Malformed(algorithm, dovecotScheme, problem);
        }

        return new ParsedHash
        {
            Scheme = new HashScheme(algorithm, dovecotScheme, null),
            Verifier = password => FixedTimeEquals(
                ShaCrypt.ComputeHash(variant, Encoding.UTF8.GetBytes(password), Encoding.ASCII.GetBytes(salt), rounds),
                hash),
        };
    }

    private static ParsedHash ParseBcrypt(string value, string? dovecotScheme)
    {
        var problem = BcryptHash.Validate(value);
        if (problem is not null)
        {
            return Malformed(PasswordHashAlgorithm.Bcrypt, dovecotScheme, problem);
        }

        return new ParsedHash
        {
            Scheme = new HashScheme(PasswordHashAlgorithm.Bcrypt, dovecotScheme, null),
            Verifier = password => BcryptHash.Verify(password, value),
        };
    }

    // "salt$hash" after the identifier (and rounds option) of MD5-crypt and SHA-crypt.
    private static string? SplitSaltAndHash(ReadOnlySpan<char> rest, int maxSalt, int hashLength, out string salt, out string hash)
    {
        salt = string.Empty;
        hash = string.Empty;
        var separator = rest.IndexOf('$');
        if (separator < 0)
        {
            return "expected '$' between the salt and the hash";
        }

        var saltPart = rest[..separator];
        var hashPart = rest[(separator + 1)..];
        if (saltPart.Length > maxSalt)
        {
            return $"the salt is longer than {maxSalt} characters";
        }

        foreach (var c in saltPart)
        {
            if (c is < '!' or > '~')
            {
                return "the salt must be printable ASCII";
            }
        }

        if (hashPart.Length != hashLength || !CryptBase64.IsValid(hashPart))
        {
            return $"the hash part must be {hashLength} characters of [./0-9A-Za-z]";
        }

        salt = saltPart.ToString();
        hash = hashPart.ToString();
        return null;
    }

    private static bool FixedTimeEquals(string computed, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(expected));

    private static bool IsSchemeName(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(PasswordHashAlgorithm algorithm) => algorithm switch
    {
        PasswordHashAlgorithm.Argon2id => "Argon2id",
        PasswordHashAlgorithm.Argon2i => "Argon2i",
        PasswordHashAlgorithm.Argon2d => "Argon2d",
        PasswordHashAlgorithm.Bcrypt => "bcrypt",
        PasswordHashAlgorithm.Md5Crypt => "MD5-crypt",
        PasswordHashAlgorithm.Sha256Crypt => "SHA-256-crypt",
        PasswordHashAlgorithm.Sha512Crypt => "SHA-512-crypt",
        _ => "unknown",
    };

    private static ParsedHash Unsupported(string reason, string? dovecotScheme = null) =>
        new() { Scheme = new HashScheme(PasswordHashAlgorithm.Unknown, dovecotScheme, reason) };

    private static ParsedHash Malformed(PasswordHashAlgorithm algorithm, string? dovecotScheme, string problem) =>
        new() { Scheme = new HashScheme(algorithm, dovecotScheme, $"malformed {Describe(algorithm)} hash: {problem}") };
}
