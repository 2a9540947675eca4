using System.Buffers;
using System.Text;

namespace Postroom.Protocols;

/// <summary>
/// Finds one command line in buffered input. A pure step: it says "need more", "line ready" or what is
/// wrong with the line, and how far the caller may advance. Lines must end in CRLF (RFC 5321 §2.3.8, RFC 3501 §2.2, RFC 1939 §3).
/// </summary>
public sealed class CommandLineReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True while the rest of an overlong line is being thrown away.</summary>
    private bool _discarding;

    /// <summary>
    /// Looks for a line in <paramref name="buffer"/> of at most <paramref name="maxLength"/> octets including CRLF.
    /// </summary>
    /// <returns>Null when more input is needed; <paramref name="consumed"/> says how much may be dropped either way.</returns>
    public LineResult? TryRead(ReadOnlySequence<byte> buffer, int maxLength, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            consumed = buffer.Start;
            if (_discarding || buffer.Length >= maxLength)
            {
                // Never hold an overlong line: drop it as it arrives and answer once its end is seen.
                _discarding = true;
                consumed = buffer.End;
            }

            return null;
        }

        consumed = reader.Position;
        if (_discarding || line.Length + 1 > maxLength)
        {
            _discarding = false;
            return new LineResult(LineStatus.TooLong, "");
        }

        if (line.IsEmpty || line.Slice(line.Length - 1).FirstSpan[0] != (byte)'\r')
        {
            return new LineResult(LineStatus.BareLineEnding, "");
        }

        var content = line.Slice(0, line.Length - 1);
        if (content.PositionOf((byte)'\r') is not null)
        {
            return new LineResult(LineStatus.BareLineEnding, "");
        }

        if (content.PositionOf((byte)0) is not null)
        {
            return new LineResult(LineStatus.Nul, "");
        }

        try
        {
            return new LineResult(LineStatus.Ok, StrictUtf8.GetString(content));
        }
        catch (DecoderFallbackException)
        {
            return new LineResult(LineStatus.InvalidUtf8, "");
        }
    }
}

public enum LineStatus
{
    Ok,
    TooLong,
    BareLineEnding,
    Nul,
    InvalidUtf8,
}

public readonly record struct LineResult(LineStatus Status, string Text);
