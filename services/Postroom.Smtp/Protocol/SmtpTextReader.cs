namespace Postroom.Smtp.Protocol;

/// <summary>A cursor over the text of one command line, for the grammar's TryParse methods.</summary>
public ref struct SmtpTextReader(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;

    public int Position { get; set; }

    public readonly bool End => Position >= _text.Length;

    public readonly char Peek => End ? '\0' : _text[Position];

    public readonly ReadOnlySpan<char> Remaining => _text[Position..];

    public readonly ReadOnlySpan<char> Slice(int start) => _text[start..Position];

    public bool TryRead(char expected)
    {
        if (Peek != expected || End)
        {
            return false;
        }

        Position++;
        return true;
    }

    public void SkipSpaces()
    {
        while (!End && _text[Position] == ' ')
        {
            Position++;
        }
    }
}
