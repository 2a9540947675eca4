namespace Postroom.Smtp.Data;

/// <summary>
/// Decodes the DATA content stream (RFC 5321 §4.1.1.4, §4.5.2): undoes dot-stuffing and finds the end of
/// data, which is <c>CRLF "." CRLF</c> and nothing else. A pure step: it consumes bytes and writes
/// bytes; the caller owns the I/O.
/// </summary>
/// <remarks>
/// SMTP smuggling (2023) works because some servers also end data at <c>LF "." LF</c>, <c>CR "." CR</c> or
/// <c>LF "." CRLF</c>. Here those are content, never an end, and any bare CR or LF in the content marks the
/// message as refused (<see cref="DataProblem.BareLineEnding"/>), so a message we accept can never be read
/// as two messages by a laxer server downstream.
/// </remarks>
internal sealed class DataDecoder(long maxSize, int maxLineLength, int maxReceivedHeaders)
{
    private const int ReceivedPrefixLength = 9; // "Received:"

    private readonly byte[] _linePrefix = new byte[ReceivedPrefixLength];
    private State _state = State.LineStart;
    private int _lineLength;
    private int _linePrefixLength;
    private bool _inHeaders = true;
    private int _receivedHeaders;

    private enum State
    {
        LineStart,
        Text,
        SawCr,
        LineStartDot,
        LineStartDotCr,
        Done,
    }

    /// <summary>Bytes of content produced so far (after unstuffing).</summary>
    public long ContentLength { get; private set; }

    /// <summary>The first problem found; decoding goes on to the end marker so the session stays in step.</summary>
    public DataProblem Problem { get; private set; }

    public bool IsComplete => _state == State.Done;

    /// <summary>
    /// Decodes as much of <paramref name="input"/> as fits in <paramref name="output"/> (which must hold at
    /// least 3 bytes: a held-back CR or ".CR" may be released at once). Once a problem is found nothing more
    /// is written, but input is still consumed up to the end marker.
    /// </summary>
    /// <returns>True when the end marker was consumed.</returns>
    public bool Decode(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
    {
        consumed = 0;
        written = 0;
        while (consumed < input.Length && _state != State.Done && output.Length - written >= 3)
        {
            var b = input[consumed];
            switch (_state)
            {
                case State.LineStart when b == '.':
                    _lineLength++;
                    _state = State.LineStartDot;
                    consumed++;
                    continue;
                case State.LineStart or State.Text when b == '\r':
                    _lineLength++;
                    _state = State.SawCr;
                    consumed++;
                    continue;
                case State.LineStart or State.Text when b == '\n':
                    Flag(DataProblem.BareLineEnding);
                    Emit(output, ref written, b);
                    _state = State.Text;
                    consumed++;
                    continue;
                case State.LineStart or State.Text:
                    consumed += CopyText(input[consumed..], output, ref written);
                    _state = State.Text;
                    continue;
                case State.SawCr when b == '\n':
                    _lineLength++;
                    Emit(output, ref written, (byte)'\r');
                    Emit(output, ref written, (byte)'\n');
                    consumed++;
                    EndLine();
                    continue;
                case State.SawCr:
                    // A CR not followed by LF: content, never a line end.
                    Flag(DataProblem.BareLineEnding);
                    Emit(output, ref written, (byte)'\r');
                    _state = State.Text;
                    continue;
                case State.LineStartDot when b == '\r':
                    _lineLength++;
                    _state = State.LineStartDotCr;
                    consumed++;
                    continue;
                case State.LineStartDot:
                    // RFC 5321 §4.5.2: a leading period on a line with more characters is removed.
                    _state = State.Text;
                    if (b == '\n')
                    {
                        Flag(DataProblem.BareLineEnding);
                    }

                    continue;
                case State.LineStartDotCr when b == '\n':
                    consumed++;
                    _state = State.Done;
                    return true;
                case State.LineStartDotCr:
                    Flag(DataProblem.BareLineEnding);
                    Emit(output, ref written, (byte)'.');
                    Emit(output, ref written, (byte)'\r');
                    _state = State.Text;
                    continue;
            }
        }

        return _state == State.Done;
    }

    /// <summary>Copies a run of ordinary bytes up to the next CR or LF, tracking line length and header names.</summary>
    private int CopyText(ReadOnlySpan<byte> input, Span<byte> output, ref int written)
    {
        var run = input.IndexOfAny((byte)'\r', (byte)'\n');
        if (run < 0)
        {
            run = input.Length;
        }

        run = Math.Min(run, output.Length - written - 2);
        var text = input[..run];
        if (_inHeaders && _linePrefixLength < ReceivedPrefixLength)
        {
            var take = Math.Min(ReceivedPrefixLength - _linePrefixLength, text.Length);
            text[..take].CopyTo(_linePrefix.AsSpan(_linePrefixLength));
            _linePrefixLength += take;
        }

        _lineLength += run;
        if (_lineLength > maxLineLength)
        {
            Flag(DataProblem.LineTooLong);
        }

        if (Problem == DataProblem.None)
        {
            text.CopyTo(output[written..]);
            written += run;
            CountContent(run);
        }

        return run;
    }

    private void EndLine()
    {
        if (_lineLength > maxLineLength)
        {
            Flag(DataProblem.LineTooLong);
        }

        if (_inHeaders)
        {
            if (_lineLength == 2)
            {
                _inHeaders = false;
            }
            else if (_linePrefixLength == ReceivedPrefixLength && System.Text.Ascii.EqualsIgnoreCase(_linePrefix, "received:"u8)
                && ++_receivedHeaders > maxReceivedHeaders)
            {
                Flag(DataProblem.MailLoop);
            }
        }

        _lineLength = 0;
        _linePrefixLength = 0;
        _state = State.LineStart;
    }

    private void Emit(Span<byte> output, ref int written, byte b)
    {
        if (Problem == DataProblem.None)
        {
            output[written++] = b;
            CountContent(1);
        }
    }

    private void CountContent(int count)
    {
        ContentLength += count;
        if (ContentLength > maxSize)
        {
            Flag(DataProblem.TooLarge);
        }
    }

    private void Flag(DataProblem problem)
    {
        if (Problem == DataProblem.None)
        {
            Problem = problem;
        }
    }
}

/// <summary>Why a message's content was refused.</summary>
internal enum DataProblem
{
    None,
    TooLarge,
    LineTooLong,
    BareLineEnding,
    MailLoop,
}
