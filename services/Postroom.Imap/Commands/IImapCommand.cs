using System.Buffers;
using Postroom.Imap.Protocol;
using Postroom.Imap.Session;
using Postroom.Mailbox;

namespace Postroom.Imap.Commands;

/// <summary>One command as dispatched: tag, name, whether it came as "UID name", and the arguments after SP.</summary>
internal sealed record ImapRequest(string Tag, string Name, bool Uid, ReadOnlySequence<byte> Arguments)
{
    public SequenceReader<byte> Reader() => new(Arguments);
}

/// <summary>
/// One IMAP command. The state table has already said it is acceptable now. It writes its untagged data and
/// returns the tagged result (null when it has answered itself).
/// </summary>
internal interface IImapCommand
{
    Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken);
}

/// <summary>Argument parsing shared by commands.</summary>
internal static class Arguments
{
    /// <summary>Nothing may follow.</summary>
    public static bool IsEmpty(ImapRequest request) => request.Arguments.IsEmpty;

    /// <summary>Exactly one mailbox name, normalized; false with the result to answer otherwise.</summary>
    public static bool TryParseOneMailbox(ImapRequest request, out string name, out ImapResult? error)
    {
        var reader = request.Reader();
        if (!ImapParser.TryParseMailbox(ref reader, out var wire) || !reader.End)
        {
            name = "";
            error = ImapResponses.SyntaxError;
            return false;
        }

        return TryNormalize(wire, out name, out error);
    }

    /// <summary>Validates a decoded name (no "..", wildcards, control characters, empty levels).</summary>
    public static bool TryNormalize(string wire, out string name, out ImapResult? error)
    {
        try
        {
            name = MailboxNames.Normalize(wire);
            error = null;
            return true;
        }
        catch (ArgumentException)
        {
            name = "";
            error = ImapResponses.InvalidMailboxName;
            return false;
        }
    }
}
