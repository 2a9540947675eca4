using System.Buffers;
using Postroom.Config.Snapshot;
using Postroom.Mailbox;
using Postroom.Pop3.Data;
using Postroom.Pop3.Protocol;
using Postroom.Storage;

namespace Postroom.Pop3.Session;

/// <summary>Login, the maildrop snapshot, streaming messages, and the UPDATE state.</summary>
public sealed partial class Pop3Session
{
    /// <summary>
    /// Checks the credentials, locks the maildrop and takes its snapshot; on success the session is in
    /// TRANSACTION. Shared by USER/PASS and AUTH; every outcome is answered here.
    /// </summary>
    internal async Task LoginAsync(string login, string password, string mechanism)
    {
        var address = Info.ClientAddress;
        if (address is not null && await Services.RateLimiter.IsAuthThrottledAsync(address, SessionToken).ConfigureAwait(false))
        {
            Pop3Metrics.RecordLogin("throttled");
            Reply(Pop3Replies.AuthThrottled);
            return;
        }

        var result = Config.Authenticate(login, password, MailProtocols.Pop3);
        if (Services.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
        {
            Pop3Log.Authentication(Services.Logger, Info.SessionId, address?.ToString() ?? "unknown", mechanism, login, result.Outcome.ToString());
        }

        if (!result.Succeeded)
        {
            if (address is not null)
            {
                await Services.RateLimiter.RecordAuthFailureAsync(address, SessionToken).ConfigureAwait(false);
            }

            // Disabled accounts and accounts without POP3 get the same answer as a wrong password.
            Pop3Metrics.RecordLogin("failed");
            Reply(Pop3Replies.AuthFailed);
            return;
        }

        var user = result.Account!.Address;
        var maildropLock = await Services.Locks.TryLockAsync(user, SessionToken).ConfigureAwait(false);
        if (maildropLock is null)
        {
            Pop3Metrics.RecordLogin("in-use");
            Reply(Pop3Replies.MaildropLocked);
            return;
        }

        Maildrop maildrop;
        try
        {
            maildrop = await LoadMaildropAsync(user).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store outage is a reply error: the client may try again, the session stays in AUTHORIZATION.
            Pop3Log.StoreFailed(Services.Logger, e, Info.SessionId, user, "login");
            await maildropLock.DisposeAsync().ConfigureAwait(false);
            Pop3Metrics.RecordLogin("unavailable");
            Reply(Pop3Replies.MaildropUnavailable);
            return;
        }

        MaildropLock = maildropLock;
        Maildrop = maildrop;
        Info.User = user;
        State = Pop3State.Transaction;
        Pop3Metrics.RecordLogin("success");
        Reply(Pop3Replies.LoggedIn(maildrop.Count, maildrop.LiveSize));
    }

    /// <summary>The snapshot of INBOX: UID order is arrival order, so message 1 is the oldest.</summary>
    private async Task<Maildrop> LoadMaildropAsync(string user)
    {
        var status = await Services.Mailboxes.GetMailboxStatusAsync(user, MailboxNames.Inbox, SessionToken).ConfigureAwait(false);
        var messages = new List<MaildropMessage>((int)Math.Min(status.Messages, 100_000));
        await foreach (var message in Services.Mailboxes.ListMessagesAsync(user, MailboxNames.Inbox, UidSet.All, includeDetails: true, SessionToken).ConfigureAwait(false))
        {
            var details = message.Details!;
            messages.Add(new MaildropMessage(messages.Count + 1, message.Uid, details.Size, details.BlobKey, details.HeaderPrefix));
        }

        return new Maildrop(status.UidValidity, messages);
    }

    /// <summary>
    /// Finds the message an argument names. Returns the error to send when there is none: a syntax error, a
    /// number outside the snapshot, or a message marked deleted (RFC 1939 §5).
    /// </summary>
    internal Pop3Reply? FindMessage(string argument, out MaildropMessage? message)
    {
        message = null;
        switch (Pop3Arguments.TryParseMessageNumber(argument, out var number))
        {
            case Pop3Arguments.NumberResult.Syntax:
                return Pop3Replies.SyntaxError;
            case Pop3Arguments.NumberResult.OutOfRange:
                return Pop3Replies.NoSuchMessage;
        }

        var maildrop = Maildrop!;
        if (!maildrop.Contains(number))
        {
            return Pop3Replies.NoSuchMessage;
        }

        if (maildrop.IsDeleted(number))
        {
            return Pop3Replies.MessageDeleted;
        }

        message = maildrop[number];
        return null;
    }

    /// <summary>
    /// Sends a message (RETR) or its top (TOP): the header prefix, then the body streamed from object storage
    /// in bounded chunks, dot-stuffed, flushed chunk by chunk so a large message never sits in memory.
    /// Returns false when the body could not be opened (the error has been answered). A failure after the
    /// first line has gone out ends the session: a multi-line response cannot be taken back.
    /// </summary>
    internal async Task<bool> SendMessageAsync(MaildropMessage message, long? bodyLines)
    {
        Stream body;
        try
        {
            body = await Services.Blobs.OpenReadAsync(message.BlobKey, SessionToken).ConfigureAwait(false);
        }
        catch (BlobNotFoundException e)
        {
            Pop3Log.StoreFailed(Services.Logger, e, Info.SessionId, Info.User ?? "", "open body");
            Reply(Pop3Replies.MessageGone);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Pop3Log.StoreFailed(Services.Logger, e, Info.SessionId, Info.User ?? "", "open body");
            Reply(Pop3Replies.MessageUnavailable);
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Options.StreamBufferSize);
        var stuffer = new DotStuffer(bodyLines);
        var output = Transport.Output;
        try
        {
            await using (body.ConfigureAwait(false))
            {
                Reply(bodyLines is null ? Pop3Replies.MessageFollows(message.Size) : Pop3Replies.TopFollows);
                stuffer.Write(message.HeaderPrefix.Span, output);
                while (!stuffer.Done)
                {
                    var read = await body.ReadAsync(buffer.AsMemory(0, Options.StreamBufferSize), SessionToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    stuffer.Write(buffer.AsSpan(0, read), output);
                    var flushed = await output.FlushAsync(SessionToken).ConfigureAwait(false);
                    if (flushed.IsCompleted)
                    {
                        throw new IOException("The client stopped reading.");
                    }
                }

                stuffer.Finish(output);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Pop3Metrics.Bytes.Add(stuffer.ContentLength);
        }

        return true;
    }

    /// <summary>
    /// QUIT in TRANSACTION (RFC 1939 §6): the UPDATE state removes exactly the messages marked deleted, flags
    /// retrieved ones \Seen, releases the maildrop and signs off.
    /// </summary>
    internal async Task UpdateAsync()
    {
        State = Pop3State.Update;
        EndReason = "quit";
        var maildrop = Maildrop!;
        var user = Info.User!;
        var deleted = maildrop.DeletedUids();
        try
        {
            // The commit step runs with CancellationToken.None: the client has said QUIT and may hang up at
            // once; its deletions must then be applied whole, not cut off halfway.
            if (Options.MarkRetrievedSeen)
            {
                var seen = maildrop.Retrieved.Except(deleted).ToList();
                if (seen.Count > 0)
                {
                    await Services.Mailboxes.StoreFlagsAsync(user, MailboxNames.Inbox, UidSet.Of(seen), FlagOperation.Add, [MessageFlags.Seen], null, CancellationToken.None).ConfigureAwait(false);
                }
            }

            if (deleted.Count > 0)
            {
                var marked = UidSet.Of(deleted);
                await Services.Mailboxes.StoreFlagsAsync(user, MailboxNames.Inbox, marked, FlagOperation.Add, [MessageFlags.Deleted], null, CancellationToken.None).ConfigureAwait(false);
                var removed = await Services.Mailboxes.ExpungeAsync(user, MailboxNames.Inbox, marked, CancellationToken.None).ConfigureAwait(false);
                DeletedCount = removed.Count;
                Pop3Metrics.Deleted.Add(removed.Count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // RFC 1939 §6: an error in UPDATE is answered -ERR; the session ends either way.
            Pop3Log.StoreFailed(Services.Logger, e, Info.SessionId, user, "update");
            Reply(Pop3Replies.UpdateFailed);
            return;
        }

        Reply(Pop3Replies.SignedOff(DeletedCount));
    }
}
