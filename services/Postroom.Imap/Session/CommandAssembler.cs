using System.Buffers;
using System.Text;
using Postroom.Imap.Protocol;

namespace Postroom.Imap.Session;

/// <summary>What <see cref="CommandAssembler.Step"/> found.</summary>
internal enum AssembleStatus
{
    /// <summary>Read more input and call again.</summary>
    NeedMore,

    /// <summary>A synchronizing literal was announced: send "+ Ready", then read on.</summary>
    NeedContinuation,

    /// <summary>A whole command (lines and literals, final CRLF removed) is in <see cref="AssembleResult.Command"/>.</summary>
    Command,

    /// <summary>
    /// APPEND's message literal was announced: <see cref="AssembleResult.Command"/> holds the command up to it
    /// (without the literal announcement); the caller streams the literal itself.
    /// </summary>
    MessageLiteral,

    /// <summary>The command broke a rule; answer <see cref="AssembleResult.Problem"/> tagged with <see cref="AssembleResult.Tag"/>.</summary>
    Failed,

    /// <summary>The input cannot be followed any more (a huge non-synchronizing literal): say BYE and close.</summary>
    Fatal,
}

internal readonly record struct AssembleResult(AssembleStatus Status, byte[]? Command = null, string? Tag = null, ImapResult? Problem = null, long LiteralLength = 0, bool NonSynchronizing = false)
{
    public static readonly AssembleResult More = new(AssembleStatus.NeedMore);
}

/// <summary>
/// Assembles one IMAP command from buffered input: command lines, and the literals (RFC 3501 §4.3, RFC 7888
/// LITERAL+) announced at their ends. A pure step in the middle of the session's read loop: it consumes a
/// buffer and says "need more", "send a continuation", "command ready", "APPEND message follows" or what is
/// wrong, and how far the caller may advance.
/// </summary>
/// <remarks>
/// Limits: a line (without literals) may have <see cref="ImapOptions.MaxLineLength"/> octets, a literal
/// <see cref="ImapOptions.MaxLiteralSize"/> (APPEND's message <see cref="ImapOptions.MaxMessageSize"/>), the
/// command <see cref="ImapOptions.MaxCommandSize"/>. A synchronizing literal over a limit is refused at once:
/// the client is waiting for our continuation, so it will not send the literal and the session stays in step.
/// A non-synchronizing one is read and dropped (up to <see cref="ImapOptions.MaxDiscardSize"/>), then the rest
/// of its command, and the command is refused.
/// </remarks>
internal sealed class CommandAssembler(ImapOptions options)
{
    private readonly ArrayBufferWriter<byte> _command = new();
    private long _literalRemaining;
    private long _discardRemaining;
    private bool _discardingLine;
    private ImapResult? _failure;
    private string? _tag;

    /// <summary>Decides whether a literal announced after <c>command</c> is APPEND's message (set by the session).</summary>
    public Func<ReadOnlyMemory<byte>, bool>? IsMessageLiteral { get; set; }

    /// <summary>Forgets a partly assembled command (after STARTTLS, or when a command was answered early).</summary>
    public void Reset()
    {
        _command.Clear();
        _literalRemaining = 0;
        _discardRemaining = 0;
        _discardingLine = false;
        _failure = null;
        _tag = null;
    }

    public AssembleResult Step(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            while (true)
            {
                if (_discardRemaining > 0)
                {
                    var skip = Math.Min(_discardRemaining, reader.Remaining);
                    reader.Advance(skip);
                    _discardRemaining -= skip;
                    if (_discardRemaining > 0)
                    {
                        return AssembleResult.More;
                    }

                    continue;
                }

                if (_literalRemaining > 0)
                {
                    var take = Math.Min(_literalRemaining, reader.Remaining);
                    foreach (var segment in reader.UnreadSequence.Slice(0, take))
                    {
                        _command.Write(segment.Span);
                    }

                    reader.Advance(take);
                    _literalRemaining -= take;
                    if (_literalRemaining > 0)
                    {
                        return AssembleResult.More;
                    }

                    continue;
                }

                if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
                {
                    if (_discardingLine || reader.Remaining >= options.MaxLineLength)
                    {
                        _tag ??= TagOf(reader.UnreadSequence.Slice(0, Math.Min(reader.Remaining, 65)).ToArray());
                        // Never hold an overlong line: drop it as it arrives and answer once its end is seen.
                        _discardingLine = true;
                        reader.Advance(reader.Remaining);
                    }

                    return AssembleResult.More;
                }

                if (_discardingLine || line.Length + 1 > options.MaxLineLength)
                {
                    _discardingLine = false;
                    _tag ??= TagOf(line.Slice(0, Math.Min(line.Length, 65)).ToArray());
                    return Fail(ImapResponses.LineTooLong);
                }

                if (line.IsEmpty || line.Slice(line.Length - 1).FirstSpan[0] != (byte)'\r')
                {
                    return Fail(ImapResponses.BadLineEnding);
                }

                var content = line.Slice(0, line.Length - 1);
                _tag ??= TagOf(content.Slice(0, Math.Min(content.Length, 65)).ToArray());
                if (content.PositionOf((byte)0) is not null)
                {
                    Fail(ImapResponses.NulInCommand, finish: false);
                }

                var literal = FindLiteral(content, out var length, out var nonSync, out var announcementStart);
                if (_failure is not null)
                {
                    // The rest of a refused command: skip its literals too, up to the end of the command.
                    if (!literal)
                    {
                        return Fail(_failure);
                    }

                    if (!nonSync)
                    {
                        // The client waits for a continuation it will not get: the command ends here.
                        return Fail(_failure);
                    }

                    if (length > options.MaxDiscardSize)
                    {
                        return Fatal();
                    }

                    _discardRemaining = length;
                    continue;
                }

                if (!literal)
                {
                    if (_command.WrittenCount + content.Length > options.MaxCommandSize)
                    {
                        return Fail(ImapResponses.CommandTooLarge);
                    }

                    Write(content);
                    var command = _command.WrittenSpan.ToArray();
                    _command.Clear();
                    _tag = null;
                    return new AssembleResult(AssembleStatus.Command, command);
                }

                if (_command.WrittenCount + content.Length + 2 > options.MaxCommandSize)
                {
                    Fail(ImapResponses.CommandTooLarge, finish: false);
                }
                else
                {
                    Write(content.Slice(0, announcementStart));
                    if (IsMessageLiteral?.Invoke(_command.WrittenMemory) == true)
                    {
                        if (length > options.MaxMessageSize)
                        {
                            Fail(ImapResponses.MessageTooLarge, finish: false);
                        }
                        else
                        {
                            var prefix = _command.WrittenSpan.ToArray();
                            _command.Clear();
                            _tag = null;
                            return new AssembleResult(AssembleStatus.MessageLiteral, prefix, TagOf(prefix), LiteralLength: length, NonSynchronizing: nonSync);
                        }
                    }
                    else if (length > options.MaxLiteralSize)
                    {
                        Fail(ImapResponses.LiteralTooLarge, finish: false);
                    }
                    else
                    {
                        Write(content.Slice(announcementStart));
                        _command.Write("\r\n"u8);
                        _literalRemaining = length;
                        if (!nonSync)
                        {
                            return new AssembleResult(AssembleStatus.NeedContinuation);
                        }

                        continue;
                    }
                }

                // Refused at the announcement: a synchronizing literal never comes; a non-synchronizing one is skipped.
                if (!nonSync)
                {
                    return Fail(_failure!);
                }

                if (length > options.MaxDiscardSize)
                {
                    return Fatal();
                }

                _discardRemaining = length;
            }
        }
        finally
        {
            consumed = reader.Position;
        }
    }

    /// <summary>The tag at the start of a command, or "*" when there is none to be found (RFC 3501 §7.1.3: BAD may be untagged).</summary>
    public static string TagOf(ReadOnlySpan<byte> command)
    {
        var length = 0;
        while (length < command.Length && length < 64 && ImapParser.IsAStringChar(command[length]) && command[length] != '+')
        {
            length++;
        }

        return length > 0 && (length == command.Length || command[length] == ' ') ? Encoding.ASCII.GetString(command[..length]) : "*";
    }

    private void Write(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            _command.Write(segment.Span);
        }
    }

    /// <summary>Records a failure; with <paramref name="finish"/> the command is over and the result is returned.</summary>
    private AssembleResult Fail(ImapResult problem, bool finish = true)
    {
        _failure ??= problem;
        if (!finish)
        {
            return default;
        }

        var result = new AssembleResult(AssembleStatus.Failed, Tag: _tag ?? "*", Problem: _failure);
        _command.Clear();
        _failure = null;
        _tag = null;
        return result;
    }

    private AssembleResult Fatal()
    {
        Reset();
        return new AssembleResult(AssembleStatus.Fatal, Problem: ImapResponses.LiteralTooLargeToSkip);
    }

    /// <summary>True when <paramref name="line"/> ends with <c>{n}</c> or <c>{n+}</c>.</summary>
    private static bool FindLiteral(ReadOnlySequence<byte> line, out long length, out bool nonSync, out long start)
    {
        length = 0;
        nonSync = false;
        start = 0;
        if (line.IsEmpty || line.Slice(line.Length - 1).FirstSpan[0] != (byte)'}')
        {
            return false;
        }

        var tail = line.Length > 24 ? line.Slice(line.Length - 24) : line;
        var open = tail.ToArray().AsSpan().LastIndexOf((byte)'{');
        if (open < 0)
        {
            return false;
        }

        var announcement = tail.Slice(open);
        var reader = new SequenceReader<byte>(announcement);
        if (!ImapParser.TryParseLiteralHeader(ref reader, out length, out nonSync) || !reader.End)
        {
            return false;
        }

        start = line.Length - tail.Length + open;
        return true;
    }
}
