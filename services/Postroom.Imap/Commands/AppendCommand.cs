using System.Buffers;
using System.Globalization;
using Postroom.Imap.Protocol;
using Postroom.Imap.Session;
using Postroom.Mailbox;

namespace Postroom.Imap.Commands;

/// <summary>
/// APPEND (RFC 3501 §6.3.11) with APPENDUID (RFC 4315). The message literal is streamed from the connection to
/// object storage, never held in memory, then the mailbox entry is written by the store.
/// </summary>
internal sealed class AppendCommand : IImapCommand
{
    /// <summary>An APPEND whose message is not a literal is a syntax error (the assembler catches the literal form).</summary>
    public Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<ImapResult?>(ImapResponses.SyntaxError);

    /// <summary>
    /// True when <paramref name="command"/> is <c>tag SP "APPEND" SP mailbox [SP flag-list] [SP date-time] SP</c>,
    /// i.e. the literal announced next is the message.
    /// </summary>
    public static bool IsMessageLiteral(ReadOnlyMemory<byte> command) => TryParsePrefix(command, out _, out _, out _, out _);

    /// <summary><c>append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal</c>, up to the literal.</summary>
    internal static bool TryParsePrefix(ReadOnlyMemory<byte> command, out string tag, out string mailbox, out List<string> flags, out DateTimeOffset? date)
    {
        mailbox = "";
        flags = [];
        date = null;
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(command));
        if (!ImapParser.TryParseTag(ref reader, out tag) || !ImapParser.TryParseSp(ref reader)
            || !ImapParser.TryParseAtom(ref reader, out var name) || !name.Equals("APPEND", StringComparison.OrdinalIgnoreCase)
            || !ImapParser.TryParseSp(ref reader) || !ImapParser.TryParseMailbox(ref reader, out mailbox) || !ImapParser.TryParseSp(ref reader))
        {
            return false;
        }

        if (reader.TryPeek(out var b) && b == '(')
        {
            if (!ImapParser.TryParseFlagList(ref reader, out flags) || !ImapParser.TryParseSp(ref reader))
            {
                return false;
            }
        }

        if (reader.TryPeek(out b) && b == '"')
        {
            if (!ImapParser.TryParseDateTime(ref reader, out var parsed) || !ImapParser.TryParseSp(ref reader))
            {
                return false;
            }

            date = parsed;
        }

        return reader.End;
    }

    public static async Task<ImapResult?> ExecuteStreamingAsync(ImapSession session, AssembleResult announced, CancellationToken cancellationToken)
    {
        if (!TryParsePrefix(announced.Command!, out _, out var wire, out var rawFlags, out var date))
        {
            // The assembler only announces a message literal after this very check.
            throw new InvalidOperationException("APPEND prefix no longer parses.");
        }

        var refusal = await CheckAsync(session, wire, rawFlags, cancellationToken).ConfigureAwait(false);
        string[] flags = [];
        string name = "";
        if (refusal is null)
        {
            name = MailboxNames.Normalize(wire);
            flags = MessageFlags.Normalize(rawFlags);
        }

        if (refusal is not null && !announced.NonSynchronizing)
        {
            // The client waits for a continuation: refusing now means the literal never comes.
            return refusal;
        }

        if (!announced.NonSynchronizing)
        {
            session.WriteLine("+ Ready for literal data");
            await session.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var literal = session.OpenLiteral(announced.LiteralLength);
        await using (literal.ConfigureAwait(false))
        {
            if (refusal is not null)
            {
                await ImapSession.DrainLiteralAsync(literal, cancellationToken).ConfigureAwait(false);
                return await EndOfCommandAsync(session).ConfigureAwait(false) ?? refusal;
            }

            var now = session.Services.Time.GetUtcNow();
            var key = string.Create(CultureInfo.InvariantCulture, $"messages/imap/{now:yyyy/MM/dd}/{Guid.NewGuid():N}");
            var blob = await session.Services.Blobs.PutAsync(key, literal, cancellationToken).ConfigureAwait(false);
            if (await EndOfCommandAsync(session).ConfigureAwait(false) is { } bad)
            {
                await session.Services.Blobs.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
                return bad;
            }

            AppendResult result;
            try
            {
                result = await session.Store.AppendAsync(
                    new AppendRequest(session.User, name, key, blob.Length, ReadOnlyMemory<byte>.Empty, flags, date ?? now, null, session.Info.QuotaBytes),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (MailboxException)
            {
                // Nothing references the body: this session wrote it, so it removes it.
                await session.Services.Blobs.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            ImapLog.Appended(session.Services.Logger, session.Info.SessionId, session.User, name, blob.Length, result.Uid);
            if (session.Selected is { } selected && selected.Name == name)
            {
                selected.NeedCatchUp = true;
            }

            return new ImapResult(ImapStatus.Ok, $"APPENDUID {result.UidValidity} {result.Uid}", "APPEND completed");
        }
    }

    private static async Task<ImapResult?> CheckAsync(ImapSession session, string wire, List<string> rawFlags, CancellationToken cancellationToken)
    {
        if (!Arguments.TryNormalize(wire, out var name, out var error))
        {
            return error;
        }

        try
        {
            MessageFlags.Normalize(rawFlags);
        }
        catch (ArgumentException)
        {
            return ImapResponses.InvalidFlag;
        }

        try
        {
            await session.Store.GetMailboxStatusAsync(session.User, name, cancellationToken).ConfigureAwait(false);
        }
        catch (MailboxNotFoundException)
        {
            // RFC 3501 §6.3.11: TRYCREATE tells the client that CREATE would help.
            return ImapResponses.TryCreate;
        }

        return null;
    }

    /// <summary>After the literal the command must end (MULTIAPPEND, RFC 3502, is not offered).</summary>
    private static async Task<ImapResult?> EndOfCommandAsync(ImapSession session)
    {
        var rest = await session.ReadCommandAsync().ConfigureAwait(false);
        if (rest is null)
        {
            throw new EndOfStreamException("The client closed the connection inside APPEND.");
        }

        return rest.Value.Status == AssembleStatus.Command && rest.Value.Command!.Length == 0 ? null : ImapResponses.SyntaxError;
    }
}
