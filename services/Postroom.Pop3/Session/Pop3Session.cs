using System.Diagnostics;
using Postroom.Config.Snapshot;
using Postroom.Pop3.Commands;
using Postroom.Pop3.Protocol;
using Postroom.Protocols;

namespace Postroom.Pop3.Session;

/// <summary>
/// One POP3 session: greets, reads commands, dispatches them through the state table and writes responses.
/// The command classes do the work; this class owns the connection, the state, the maildrop and the limits.
/// </summary>
public sealed partial class Pop3Session
{
    private readonly CommandLineReader _lineReader = new();
    private int _errors;
    private CancellationToken _aborted;

    public Pop3Session(Pop3Options options, Pop3Services services, IProtocolTransport transport, Pop3SessionInfo info)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(info);
        Options = options;
        Services = services;
        Transport = transport;
        Info = info;
        info.TlsDescription = transport.TlsDescription;
    }

    public Pop3Options Options { get; }

    public Pop3SessionInfo Info { get; }

    public Pop3State State { get; internal set; } = Pop3State.Authorization;

    internal Pop3Services Services { get; }

    internal IProtocolTransport Transport { get; }

    /// <summary>The name given by USER, waiting for PASS (RFC 1939 §7: PASS must follow USER directly).</summary>
    internal string? PendingUser { get; set; }

    /// <summary>The USER name given by the command just before this one, if that was a successful USER.</summary>
    internal string? UserBeforeThisCommand { get; private set; }

    /// <summary>The snapshot taken at login; set in TRANSACTION.</summary>
    internal Maildrop? Maildrop { get; set; }

    /// <summary>The maildrop lock, held from login to the end of the session.</summary>
    internal IAsyncDisposable? MaildropLock { get; set; }

    /// <summary>Messages removed at QUIT.</summary>
    internal int DeletedCount { get; set; }

    /// <summary>Set by QUIT or a fatal condition: the loop ends after the current response is flushed.</summary>
    internal bool Closing { get; set; }

    /// <summary>How the session ended, for its log line: quit, dropped, timeout, shutdown, errors, refused.</summary>
    internal string EndReason { get; set; } = "dropped";

    /// <summary>Ended when the client disconnects or the session's time is up.</summary>
    internal CancellationToken SessionToken { get; private set; }

    /// <summary>The configuration for this command: read per use, so a new snapshot applies at once.</summary>
    internal ConfigSnapshot Config => Services.Config.Current;

    /// <summary>
    /// Runs the session to its end. <paramref name="shutdown"/> asks for a graceful stop: an idle session is
    /// told <c>-ERR [SYS/TEMP]</c> at once. <paramref name="aborted"/> ends everything. Deletions happen only
    /// after QUIT: a dropped or timed-out session deletes nothing (RFC 1939 §6).
    /// </summary>
    public async Task RunAsync(CancellationToken shutdown, CancellationToken aborted)
    {
        _aborted = aborted;
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        lifetime.CancelAfter(Options.SessionTimeout);
        SessionToken = lifetime.Token;
        Pop3Metrics.Connections.Add(1);
        var start = Stopwatch.GetTimestamp();
        IAsyncDisposable? slot = null;
        try
        {
            if (Info.ClientAddress is { } address)
            {
                slot = await Services.RateLimiter.TryAcquireConnectionAsync(address, SessionToken).ConfigureAwait(false);
                if (slot is null)
                {
                    EndReason = "refused";
                    await ReplyAndFlushAsync(Pop3Replies.TooManyConnections).ConfigureAwait(false);
                    return;
                }
            }

            Reply(Pop3Replies.Greeting(Options));
            while (!Closing)
            {
                var line = await ReadLineAsync(Options.MaxAuthLineLength, shutdown).ConfigureAwait(false);
                if (line is null)
                {
                    break;
                }

                await DispatchAsync(line.Value).ConfigureAwait(false);
            }

            await Transport.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException || e.InnerException is IOException)
        {
            // The client went away or the session was aborted: nothing to answer, and nothing is deleted.
            if (Services.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                Pop3Log.SessionAborted(Services.Logger, Info.SessionId, e.GetType().Name);
            }
        }
        catch (Exception e)
        {
            // A failure inside a multi-line response (storage failing mid-message) cannot be answered: the
            // session ends, and deletes nothing.
            EndReason = "failed";
            Pop3Log.SessionFailed(Services.Logger, e, Info.SessionId);
        }
        finally
        {
            if (MaildropLock is not null)
            {
                await MaildropLock.DisposeAsync().ConfigureAwait(false);
            }

            if (slot is not null)
            {
                await slot.DisposeAsync().ConfigureAwait(false);
            }

            if (Services.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
            {
                Pop3Log.SessionEnded(
                    Services.Logger,
                    Info.SessionId,
                    Info.ClientAddress?.ToString() ?? "unknown",
                    Info.User ?? "",
                    Info.IsTls,
                    Maildrop?.Retrieved.Count ?? 0,
                    DeletedCount,
                    EndReason,
                    (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
    }

    internal async Task DispatchAsync(LineResult line)
    {
        switch (line.Status)
        {
            case LineStatus.TooLong:
                Error(Pop3Replies.LineTooLong);
                return;
            case LineStatus.BareLineEnding:
                Error(Pop3Replies.BareLineFeed);
                return;
            case LineStatus.Nul:
                Error(Pop3Replies.NulInCommand);
                return;
            case LineStatus.InvalidUtf8:
                Error(Pop3Replies.SyntaxError);
                return;
        }

        // RFC 1939 §3: a keyword, then arguments separated by single spaces; keywords are case-insensitive.
        var text = line.Text;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var arguments = space < 0 ? "" : text[(space + 1)..];

        // RFC 2449 §4: command lines are at most 255 octets; only AUTH may be longer (RFC 5034 §4).
        if (verb != "AUTH" && System.Text.Encoding.UTF8.GetByteCount(text) + 2 > Options.MaxCommandLineLength)
        {
            Error(Pop3Replies.LineTooLong);
            return;
        }

        // RFC 1939 §7: PASS is valid only right after a successful USER.
        UserBeforeThisCommand = PendingUser;
        PendingUser = null;

        if (!Pop3Commands.All.TryGetValue(verb, out var command))
        {
            Error(Pop3Replies.UnknownCommand);
            return;
        }

        if (Pop3StateTable.Check(State, verb) is { } outOfSequence)
        {
            Error(outOfSequence);
            return;
        }

        await command.ExecuteAsync(this, arguments, SessionToken).ConfigureAwait(false);
    }

    /// <summary>Replies with a syntax or sequence error and closes the session after too many of them.</summary>
    internal void Error(Pop3Reply reply)
    {
        Reply(reply);
        if (++_errors >= Options.MaxErrors)
        {
            EndReason = "errors";
            Reply(Pop3Replies.TooManyErrors);
        }
    }

    /// <summary>A short random id for log lines of one session.</summary>
    public static string NewSessionId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6));
}
