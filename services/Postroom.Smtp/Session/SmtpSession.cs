using System.Diagnostics;
using Postroom.Config.Snapshot;
using Postroom.Protocols;
using Postroom.Smtp.Commands;
using Postroom.Smtp.Data;
using Postroom.Smtp.Policy;
using Postroom.Smtp.Protocol;

namespace Postroom.Smtp.Session;

/// <summary>
/// One SMTP session: greets, reads commands, dispatches them through the state table and writes replies.
/// The command classes do the work; this class owns the connection, the state and the limits.
/// </summary>
public sealed partial class SmtpSession
{
    private readonly CommandLineReader _lineReader = new();
    private int _errors;
    private CancellationToken _aborted;

    public SmtpSession(SmtpOptions options, SmtpServices services, IProtocolTransport transport, SessionInfo info)
    {
        Options = options;
        Services = services;
        Transport = transport;
        Info = info;
        info.TlsDescription = transport.TlsDescription;
    }

    public SmtpOptions Options { get; }

    public SessionInfo Info { get; }

    public SmtpState State { get; internal set; } = SmtpState.Connected;

    internal SmtpServices Services { get; }

    internal IProtocolTransport Transport { get; }

    internal SmtpTransaction? Transaction { get; set; }

    internal BdatTransfer? Bdat { get; set; }

    /// <summary>Set by QUIT or a fatal condition: the loop ends after the current reply is flushed.</summary>
    internal bool Closing { get; set; }

    /// <summary>Ended when the client disconnects or the session's time is up; DATA transfers run until it.</summary>
    internal CancellationToken SessionToken { get; private set; }

    /// <summary>The configuration for this command: read per use, so a new snapshot applies at once.</summary>
    internal ConfigSnapshot Config => Services.Config.Current;

    internal PolicyContext PolicyContext => new(Info, Options, Config, Services.RateLimiter);

    /// <summary>
    /// Runs the session to its end. <paramref name="shutdown"/> asks for a graceful stop: an idle session
    /// is told 421 at once, a transfer in progress finishes. <paramref name="aborted"/> ends everything.
    /// </summary>
    public async Task RunAsync(CancellationToken shutdown, CancellationToken aborted)
    {
        _aborted = aborted;
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        lifetime.CancelAfter(Options.SessionTimeout);
        SessionToken = lifetime.Token;
        SmtpMetrics.Connections.Add(1);
        IAsyncDisposable? slot = null;
        try
        {
            if (Info.ClientAddress is { } address)
            {
                slot = await Services.RateLimiter.TryAcquireConnectionAsync(address, SessionToken).ConfigureAwait(false);
                if (slot is null)
                {
                    await ReplyAndFlushAsync(SmtpReplies.TooManyConnections).ConfigureAwait(false);
                    return;
                }
            }

            if (await RunPoliciesAsync((p, c) => p.OnConnectAsync(PolicyContext, c)).ConfigureAwait(false) is { } refusal)
            {
                await ReplyAndFlushAsync(refusal).ConfigureAwait(false);
                return;
            }

            Reply(SmtpReplies.Greeting(Options));
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
            // The client went away or the session was aborted: nothing to answer.
            if (Services.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                SmtpLog.SessionAborted(Services.Logger, Info.SessionId, e.GetType().Name);
            }
        }
        catch (Exception e)
        {
            // The top of the session is the one place that catches everything: log it and hang up.
            SmtpLog.SessionFailed(Services.Logger, Info.SessionId, e);
        }
        finally
        {
            Bdat?.Abort();
            if (slot is not null)
            {
                await slot.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal async Task DispatchAsync(LineResult line)
    {
        switch (line.Status)
        {
            case LineStatus.TooLong:
                Error(SmtpReplies.LineTooLong);
                return;
            case LineStatus.BareLineEnding:
                Error(SmtpReplies.BareLineFeed);
                return;
            case LineStatus.Nul:
                Error(SmtpReplies.NulInCommand);
                return;
            case LineStatus.InvalidUtf8:
                Error(SmtpReplies.SyntaxError);
                return;
        }

        var text = line.Text;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var arguments = space < 0 ? "" : text[(space + 1)..];

        // RFC 5321 §4.5.3.1.4 limits command lines to 512 octets; only AUTH may be longer (RFC 4954 §4).
        if (verb != "AUTH" && System.Text.Encoding.UTF8.GetByteCount(text) + 2 > Options.MaxCommandLineLength)
        {
            Error(SmtpReplies.LineTooLong);
            return;
        }

        if (!SmtpCommands.All.TryGetValue(verb, out var command))
        {
            Error(SmtpReplies.UnknownCommand);
            return;
        }

        if (SmtpStateTable.Check(State, verb) is { } outOfSequence)
        {
            if (command is BdatCommand)
            {
                // The chunk follows the command whatever we answer: read it so we stay in step (RFC 3030 §2).
                await BdatCommand.SkipChunkAsync(this, arguments).ConfigureAwait(false);
            }

            Error(outOfSequence);
            return;
        }

        try
        {
            await command.ExecuteAsync(this, arguments, SessionToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or IOException or ObjectDisposedException) && verb is not ("DATA" or "BDAT"))
        {
            // A store or policy failed (Redis away, say): this command fails temporarily and the session
            // goes on. Inside DATA or BDAT the position in the input is unknown, so those end the session.
            SmtpLog.CommandFailed(Services.Logger, Info.SessionId, verb, e);
            Reply(SmtpReplies.LocalError);
        }
    }

    /// <summary>Replies with a syntax or sequence error and closes the session after too many of them.</summary>
    internal void Error(SmtpReply reply)
    {
        Reply(reply);
        if (++_errors >= Options.MaxErrors)
        {
            Reply(SmtpReplies.TooManyErrors);
            Closing = true;
        }
    }

    /// <summary>Runs the policy hooks in order; returns the refusal reply, or null when all continued or one accepted.</summary>
    internal async Task<SmtpReply?> RunPoliciesAsync(Func<ISmtpPolicy, CancellationToken, ValueTask<PolicyResult>> hook)
    {
        var (decision, reply) = await RunPoliciesToDecisionAsync(hook).ConfigureAwait(false);
        return decision is PolicyDecision.Reject or PolicyDecision.Defer ? reply : null;
    }

    internal async Task<PolicyResult> RunPoliciesToDecisionAsync(Func<ISmtpPolicy, CancellationToken, ValueTask<PolicyResult>> hook)
    {
        foreach (var policy in Services.Policies)
        {
            var result = await hook(policy, SessionToken).ConfigureAwait(false);
            if (result.Decision != PolicyDecision.Continue)
            {
                return result;
            }
        }

        return PolicyResult.Continue;
    }

    /// <summary>Ends the transaction (RSET, EHLO, end of data) and keeps the greeting.</summary>
    internal void ResetTransaction()
    {
        Bdat?.Abort();
        Bdat = null;
        Transaction = null;
        if (State != SmtpState.Connected)
        {
            State = SmtpState.Ready;
        }
    }

    /// <summary>A short random id for log lines of one session.</summary>
    public static string NewSessionId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6));

    internal static long Elapsed(long start) => (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
