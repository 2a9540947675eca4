using System.Text;

namespace Postroom.Smtp.Protocol;

/// <summary>
/// RFC 3461 §4 xtext: <c>xtext = *( xchar / hexchar )</c>, <c>hexchar = "+" 2(%x30-39 / %x41-46)</c>,
/// <c>xchar</c> any CHAR from "!" to "~" except "+" and "=".
/// </summary>
public static class XText
{
    public static bool TryDecode(ReadOnlySpan<char> text, out string decoded)
    {
        var builder = new StringBuilder(text.Length);
        decoded = "";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                if (i + 2 >= text.Length || !IsUpperHex(text[i + 1]) || !IsUpperHex(text[i + 2]))
                {
                    return false;
                }

                builder.Append((char)Convert.ToByte(text.Slice(i + 1, 2).ToString(), 16));
                i += 2;
            }
            else if (c is < '!' or > '~' || c == '=')
            {
                return false;
            }
            else
            {
                builder.Append(c);
            }
        }

        decoded = builder.ToString();
        return true;
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';
}
