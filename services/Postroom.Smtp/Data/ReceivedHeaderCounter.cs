namespace Postroom.Smtp.Data;

/// <summary>
/// Counts <c>Received:</c> header fields in raw (BDAT) content, up to the blank line ending the header
/// section, to spot mail loops (RFC 5321 §6.3). DATA content is counted by <see cref="DataDecoder"/>.
/// </summary>
internal sealed class ReceivedHeaderCounter(int max)
{
    private readonly byte[] _prefix = new byte[9];
    private int _prefixLength;
    private int _lineLength;
    private bool _done;

    public int Count { get; private set; }

    public bool LoopDetected => Count > max;

    public void Feed(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            if (_done)
            {
                return;
            }

            if (b == '\n')
            {
                // An empty line (just CR, or nothing) ends the header section.
                if (_lineLength <= 1)
                {
                    _done = true;
                }
                else if (_prefixLength == 9 && IsReceived())
                {
                    Count++;
                }

                _lineLength = 0;
                _prefixLength = 0;
                continue;
            }

            if (_prefixLength < 9)
            {
                _prefix[_prefixLength++] = b;
            }

            _lineLength++;
        }
    }

    private bool IsReceived() => System.Text.Ascii.EqualsIgnoreCase(_prefix, "received:"u8);
}
