using System.Buffers;

namespace Postroom.Pop3.Data;

/// <summary>
/// Turns message content into the body of a multi-line response (RFC 1939 §3): a line starting with "." gets
/// one more "." in front, and the response ends with CRLF "." CRLF. For TOP (RFC 1939 §7) it stops after the
/// header, the blank line and <c>n</c> body lines. A pure step: content goes in chunks of any size, the
/// output is written to a buffer writer, and nothing of the message is held.
/// </summary>
internal sealed class DotStuffer
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] End = ".\r\n"u8.ToArray();

    private readonly long? _bodyLines;
    private long _bodyLinesLeft;
    private bool _inBody;
    private bool _lineStart = true;
    private long _lineLength;
    private byte _lineFirst;

    /// <param name="bodyLines">Null for the whole message (RETR); the TOP line count otherwise.</param>
    public DotStuffer(long? bodyLines = null)
    {
        _bodyLines = bodyLines;
        _bodyLinesLeft = bodyLines ?? 0;
    }

    /// <summary>True once TOP has sent all it should: the caller stops reading the message.</summary>
    public bool Done { get; private set; }

    /// <summary>Content octets taken (before stuffing).</summary>
    public long ContentLength { get; private set; }

    public void Write(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (data.Length > 0 && !Done)
        {
            var newline = data.IndexOf((byte)'\n');
            var segment = newline < 0 ? data : data[..(newline + 1)];
            if (_lineStart)
            {
                _lineFirst = segment[0];
                if (segment[0] == (byte)'.')
                {
                    output.Write("."u8);
                }
            }

            output.Write(segment);
            ContentLength += segment.Length;
            _lineLength += segment.Length;
            _lineStart = newline >= 0;
            if (_lineStart)
            {
                EndOfLine();
            }

            data = data[segment.Length..];
        }
    }

    /// <summary>Ends the response: CRLF if the content did not end with one, then the "." line.</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!_lineStart)
        {
            output.Write(Crlf);
        }

        output.Write(End);
    }

    private void EndOfLine()
    {
        var empty = _lineLength == 1 || (_lineLength == 2 && _lineFirst == (byte)'\r');
        _lineLength = 0;
        if (_bodyLines is null)
        {
            return;
        }

        if (_inBody)
        {
            Done = --_bodyLinesLeft <= 0;
        }
        else if (empty)
        {
            _inBody = true;
            Done = _bodyLinesLeft == 0;
        }
    }
}
