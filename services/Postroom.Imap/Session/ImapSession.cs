using System.Buffers;
using System.Diagnostics;
using Postroom.Config.Snapshot;
using Postroom.Imap.Commands;
using Postroom.Imap.Protocol;
using Postroom.Mailbox;
using Postroom.Protocols;

namespace Postroom.Imap.Session;

/// <summary>
/// One IMAP session: greets, assembles commands, dispatches them through the state table and writes
/// responses. The command classes do the work; this class owns the connection, the state and the limits.
/// </summary>
public sealed partial class ImapSession
{
    private readonly CommandAssembler _assembler;
    private int _errors;
    private CancellationToken _aborted;

    public ImapSession(ImapOptions options, ImapServices services, IProtocolTransport transport, ImapSessionInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(transport);
        Options = options;
        Services = services;
        Transport = transport;
        Info = info;
        info.TlsDescription = transport.TlsDescription;
        _assembler = new CommandAssembler(options) { IsMessageLiteral = AppendCommand.IsMessageLiteral };
    }

    public ImapOptions Options { get; }

    public ImapSessionInfo Info { get; }

    public ImapState State { get; internal set; } = ImapState.NotAuthenticated;

    internal ImapServices Services { get; }

    internal IProtocolTransport Transport { get; }

    internal IMailboxStore Store => Services.Store;

    /// <summary>The authenticated user; only read in states where there is one.</summary>
    internal string User => Info.User ?? throw new InvalidOperationException("Not authenticated.");

    /// <summary>The open mailbox in the selected state.</summary>
    internal SelectedMailbox? Selected { get; set; }

    /// <summary>Set by LOGOUT or a fatal condition: the loop ends after the current response is flushed.</summary>
    internal bool Closing { get; set; }

    /// <summary>Ended when the client disconnects or the session is aborted.</summary>
    internal CancellationToken SessionToken { get; private set; }

    /// <summary>The shutdown signal of the listener, watched while waiting for input (IDLE included).</summary>
    internal CancellationToken Shutdown { get; private set; }

    /// <summary>The configuration for this command: read per use, so a new snapshot applies at once.</summary>
    internal ConfigSnapshot Config => Services.Config.Current;

    /// <summary>The capabilities for the current state (RFC 3501 §7.2.1).</summary>
    internal string Capabilities
    {
        get
        {
            var caps = new List<string> { "IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE", "NAMESPACE", "UIDPLUS", "MOVE", "UNSELECT", "CHILDREN", "SPECIAL-USE", "QUOTA" };
            if (State == ImapState.NotAuthenticated)
            {
                if (!Info.IsTls && Options.StartTlsAvailable)
                {
                    caps.Add("STARTTLS");
                }

                if (Info.IsTls || Options.AllowInsecureAuth)
                {
                    caps.Add("AUTH=PLAIN");
                }
                else
                {
                    caps.Add("LOGINDISABLED");
                }
            }

            return string.Join(' ', caps);
        }
    }

    /// <summary>
    /// Runs the session to its end. <paramref name="shutdown"/> asks for a graceful stop: a session waiting for a
    /// command is told BYE at once. <paramref name="aborted"/> ends everything.
    /// </summary>
    public async Task RunAsync(CancellationToken shutdown, CancellationToken aborted)
    {
        _aborted = aborted;
        Shutdown = shutdown;
        SessionToken = aborted;
        ImapMetrics.Connections.Add(1);
        try
        {
            Untagged($"OK [CAPABILITY {Capabilities}] {Options.HostName} IMAP4rev1 ready");
            while (!Closing)
            {
                var result = await ReadCommandAsync().ConfigureAwait(false);
                if (result is null)
                {
                    break;
                }

                await HandleAsync(result.Value).ConfigureAwait(false);
            }

            await Transport.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException || e.InnerException is IOException)
        {
            // The client went away or the session was aborted: nothing to answer.
            if (Services.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                ImapLog.SessionAborted(Services.Logger, Info.SessionId, e.GetType().Name);
            }
        }
        finally
        {
            if (Selected is not null)
            {
                await Selected.DisposeAsync().ConfigureAwait(false);
                Selected = null;
            }
        }
    }

    private async Task HandleAsync(AssembleResult result)
    {
        switch (result.Status)
        {
            case AssembleStatus.Command:
                await DispatchAsync(result.Command!).ConfigureAwait(false);
                return;
            case AssembleStatus.MessageLiteral:
                await RunCommandAsync("APPEND", result.Tag!, false, () => AppendCommand.ExecuteStreamingAsync(this, result, SessionToken)).ConfigureAwait(false);
                return;
            case AssembleStatus.Failed:
                Error(result.Tag ?? "*", result.Problem!);
                return;
            default:
                Respond("*", result.Problem!);
                Closing = true;
                return;
        }
    }

    internal async Task DispatchAsync(byte[] command)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(command));
        if (!ImapParser.TryParseTag(ref reader, out var tag) || !ImapParser.TryParseSp(ref reader))
        {
            Error("*", ImapResponses.SyntaxError.WithText("Missing tag or command"));
            return;
        }

        if (!ImapParser.TryParseAtom(ref reader, out var name))
        {
            Error(tag, ImapResponses.SyntaxError.WithText("Missing command"));
            return;
        }

        name = name.ToUpperInvariant();
        var uid = false;
        if (name == "UID")
        {
            if (!ImapParser.TryParseSp(ref reader) || !ImapParser.TryParseAtom(ref reader, out var sub)
                || sub.ToUpperInvariant() is not ("FETCH" or "SEARCH" or "STORE" or "COPY" or "MOVE" or "EXPUNGE"))
            {
                Error(tag, ImapResponses.UnknownCommand);
                return;
            }

            uid = true;
            name = sub.ToUpperInvariant();
        }

        if (!ImapCommands.All.TryGetValue(name, out var handler))
        {
            Error(tag, ImapResponses.UnknownCommand);
            return;
        }

        if (!ImapStateTable.Allows(State, uid ? "UID" : name))
        {
            Error(tag, ImapResponses.NotAllowedNow);
            return;
        }

        var arguments = ReadOnlySequence<byte>.Empty;
        if (!reader.End)
        {
            if (!ImapParser.TryParseSp(ref reader))
            {
                Error(tag, ImapResponses.SyntaxError);
                return;
            }

            arguments = reader.UnreadSequence;
        }

        var request = new ImapRequest(tag, name, uid, arguments);
        await RunCommandAsync(name, tag, uid, () => handler.ExecuteAsync(this, request, SessionToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a command and answers it: the command writes its untagged data and returns the tagged result; a
    /// store refusal it did not handle becomes NO. Updates from other sessions are reported before the tagged
    /// response, except EXPUNGE during FETCH, STORE and SEARCH (RFC 3501 §7.4.1).
    /// </summary>
    private async Task RunCommandAsync(string name, string tag, bool uid, Func<Task<ImapResult?>> run)
    {
        var start = Stopwatch.GetTimestamp();
        ImapResult? result;
        try
        {
            result = await run().ConfigureAwait(false);
        }
        catch (MailboxNotFoundException)
        {
            result = ImapResponses.NoSuchMailbox;
        }
        catch (MailboxAlreadyExistsException)
        {
            result = ImapResponses.AlreadyExists;
        }
        catch (MailboxQuotaExceededException)
        {
            result = ImapResponses.OverQuota;
        }
        catch (MailboxException e)
        {
            result = new ImapResult(ImapStatus.No, "CANNOT", e.Message);
        }

        if (result is null)
        {
            // The command answered itself (it failed in a way that already wrote the response).
            return;
        }

        if (!Closing && Selected is not null && result.Status != ImapStatus.Bad)
        {
            var allowExpunge = name is not ("FETCH" or "STORE" or "SEARCH") || uid;
            await ReportUpdatesAsync(allowExpunge, SessionToken).ConfigureAwait(false);
        }

        if (result.Status == ImapStatus.Bad)
        {
            Error(tag, result);
        }
        else
        {
            Respond(tag, result);
        }

        ImapMetrics.RecordCommand(name, result.Status.ToString().ToUpperInvariant(), Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>Answers with a BAD (or a refusal of the assembler) and closes the session after too many of them.</summary>
    internal void Error(string tag, ImapResult result)
    {
        Respond(tag, result);
        if (++_errors >= Options.MaxErrors)
        {
            Respond("*", ImapResponses.TooManyErrors);
            Closing = true;
        }
    }

    /// <summary>Leaves the selected state (CLOSE, UNSELECT, a new SELECT).</summary>
    internal async Task CloseSelectedAsync()
    {
        if (Selected is { } selected)
        {
            Selected = null;
            await selected.DisposeAsync().ConfigureAwait(false);
        }

        if (State == ImapState.Selected)
        {
            State = ImapState.Authenticated;
        }
    }

    /// <summary>Forgets a partly read command (after STARTTLS).</summary>
    internal void ResetAssembler() => _assembler.Reset();
}
