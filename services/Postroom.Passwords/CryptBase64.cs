using System.Text;

namespace Postroom.Passwords;

/// <summary>
/// The "crypt base64" encoding shared by MD5-crypt and SHA-crypt: the alphabet
/// <c>./0-9A-Za-z</c>, emitting the low six bits of each 24-bit group first
/// (the <c>b64_from_24bit</c> macro of Drepper's reference code and <c>to64</c> of md5crypt).
/// </summary>
internal static class CryptBase64
{
    /// <summary>The 64-character alphabet, in value order.</summary>
    public const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// Encodes <paramref name="digest"/> by taking byte triples in the order given by
    /// <paramref name="groups"/>. Each group is (B2, B1, B0, N): the bytes at those indexes form
    /// <c>(B2 &lt;&lt; 16) | (B1 &lt;&lt; 8) | B0</c>, of which N characters are written.
    /// An index of -1 stands for a zero byte.
    /// </summary>
    public static string Encode(ReadOnlySpan<byte> digest, ReadOnlySpan<int> groups)
    {
        var output = new StringBuilder(groups.Length);
        for (var g = 0; g < groups.Length; g += 4)
        {
            var w = (ByteAt(digest, groups[g]) << 16) | (ByteAt(digest, groups[g + 1]) << 8) | ByteAt(digest, groups[g + 2]);
            for (var n = groups[g + 3]; n > 0; n--)
            {
                output.Append(Alphabet[w & 0x3f]);
                w >>= 6;
            }
        }

        return output.ToString();
    }

    /// <summary>True when every character of <paramref name="value"/> is in <see cref="Alphabet"/>.</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!IsAlphabetChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlphabetChar(char c) =>
        c is '.' or '/' or (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z');

    private static int ByteAt(ReadOnlySpan<byte> digest, int index) => index < 0 ? 0 : digest[index];
}
