using System.Buffers;
using System.Text;
using Postroom.Imap.Protocol;
using Postroom.Imap.Session;

namespace Postroom.Imap.Tests;

public sealed class CommandAssemblerTests
{
    private static readonly ImapOptions Options = new() { MaxLineLength = 100, MaxLiteralSize = 10, MaxCommandSize = 200, MaxDiscardSize = 50 };

    /// <summary>Feeds the input in one go and collects results until input runs out.</summary>
    private static List<AssembleResult> Run(string input, CommandAssembler? assembler = null)
    {
        assembler ??= new CommandAssembler(Options);
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(input));
        var results = new List<AssembleResult>();
        while (true)
        {
            var result = assembler.Step(buffer, out var consumed);
            buffer = buffer.Slice(consumed);
            if (result.Status == AssembleStatus.NeedMore)
            {
                return results;
            }

            results.Add(result);
        }
    }

    private static string Text(AssembleResult result) => Encoding.UTF8.GetString(result.Command!);

    [Fact]
    public void Pipelined_lines_become_separate_commands()
    {
        var results = Run("a NOOP\r\nb CAPABILITY\r\n");
        Assert.Equal(["a NOOP", "b CAPABILITY"], results.Select(Text));
    }

    [Fact]
    public void Synchronizing_literal_asks_for_continuation_then_joins()
    {
        var results = Run("a LOGIN {4}\r\njane {3}\r\npw1\r\n");
        Assert.Equal([AssembleStatus.NeedContinuation, AssembleStatus.NeedContinuation, AssembleStatus.Command], results.Select(r => r.Status));
        Assert.Equal("a LOGIN {4}\r\njane {3}\r\npw1", Text(results[2]));
    }

    [Fact]
    public void Literal_plus_needs_no_continuation()
    {
        var results = Run("a LOGIN {4+}\r\njane pw\r\n");
        var only = Assert.Single(results);
        Assert.Equal("a LOGIN {4+}\r\njane pw", Text(only));
    }

    [Fact]
    public void Oversized_synchronizing_literal_is_refused_without_reading_it()
    {
        var results = Run("a1 LOGIN {999999}\r\nb NOOP\r\n");
        Assert.Equal(AssembleStatus.Failed, results[0].Status);
        Assert.Equal("a1", results[0].Tag);
        Assert.Equal("TOOBIG", results[0].Problem!.Code);

        // The client never got "+", so its next line is a new command.
        Assert.Equal("b NOOP", Text(results[1]));
    }

    [Fact]
    public void Oversized_literal_plus_is_skipped_and_the_session_stays_in_step()
    {
        var results = Run("a1 LOGIN {20+}\r\n01234567890123456789 x\r\nb NOOP\r\n");
        Assert.Equal(AssembleStatus.Failed, results[0].Status);
        Assert.Equal("a1", results[0].Tag);
        Assert.Equal("b NOOP", Text(results[1]));
    }

    [Fact]
    public void Huge_literal_plus_is_fatal()
    {
        var results = Run("a1 LOGIN {999999+}\r\n");
        Assert.Equal(AssembleStatus.Fatal, Assert.Single(results).Status);
    }

    [Fact]
    public void Overlong_line_is_dropped_as_it_arrives_and_answered_once()
    {
        var assembler = new CommandAssembler(Options);
        var first = Run("t7 SEARCH " + new string('x', 150), assembler);
        Assert.Empty(first);
        var rest = Run(new string('y', 300) + "\r\nb NOOP\r\n", assembler);
        Assert.Equal(AssembleStatus.Failed, rest[0].Status);
        Assert.Equal("t7", rest[0].Tag);
        Assert.Equal("b NOOP", Text(rest[1]));
    }

    [Theory]
    [InlineData("a NOOP\n", "Lines must end with CRLF")]
    [InlineData("a NO\0OP\r\n", "NUL in command")]
    public void Malformed_lines_fail(string input, string text)
    {
        var result = Assert.Single(Run(input));
        Assert.Equal(AssembleStatus.Failed, result.Status);
        Assert.Equal(text, result.Problem!.Text);
    }

    [Fact]
    public void Append_message_literal_is_handed_over_not_buffered()
    {
        var assembler = new CommandAssembler(Options) { IsMessageLiteral = Commands.AppendCommand.IsMessageLiteral };
        var result = Assert.Single(Run("a APPEND INBOX (\\Seen) {5000}\r\n", assembler));
        Assert.Equal(AssembleStatus.MessageLiteral, result.Status);
        Assert.Equal(5000, result.LiteralLength);
        Assert.Equal("a APPEND INBOX (\\Seen) ", Text(result));
    }

    [Fact]
    public void Append_mailbox_literal_is_not_the_message()
    {
        var assembler = new CommandAssembler(Options) { IsMessageLiteral = Commands.AppendCommand.IsMessageLiteral };
        var results = Run("a APPEND {5}\r\nINBOX {300}\r\n", assembler);
        Assert.Equal([AssembleStatus.NeedContinuation, AssembleStatus.MessageLiteral], results.Select(r => r.Status));
        Assert.Equal(300, results[1].LiteralLength);
    }

    [Fact]
    public void Tags_of_refused_commands_are_found()
    {
        Assert.Equal("abc", CommandAssembler.TagOf("abc LOGIN"u8));
        Assert.Equal("*", CommandAssembler.TagOf("(bad"u8));
        Assert.Equal(ImapStatus.Bad, ImapResponses.LiteralTooLarge.Status);
    }
}
