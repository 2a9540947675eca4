using Postroom.Imap.Protocol;
using Postroom.Imap.Session;

namespace Postroom.Imap.Commands;

/// <summary>CAPABILITY (RFC 3501 §6.1.1).</summary>
internal sealed class CapabilityCommand : IImapCommand
{
    public Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!Arguments.IsEmpty(request))
        {
            return Task.FromResult<ImapResult?>(ImapResponses.SyntaxError);
        }

        session.Untagged("CAPABILITY " + session.Capabilities);
        return Task.FromResult<ImapResult?>(ImapResponses.Completed);
    }
}

/// <summary>NOOP (RFC 3501 §6.1.2) and CHECK (§6.4.1): both only give pending updates a chance to be reported.</summary>
internal sealed class NoopCommand : IImapCommand
{
    public Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<ImapResult?>(Arguments.IsEmpty(request) ? ImapResponses.Completed : ImapResponses.SyntaxError);
}

/// <summary>LOGOUT (RFC 3501 §6.1.3).</summary>
internal sealed class LogoutCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!Arguments.IsEmpty(request))
        {
            return ImapResponses.SyntaxError;
        }

        session.Respond("*", ImapResponses.Logout);
        await session.CloseSelectedAsync().ConfigureAwait(false);
        session.State = ImapState.Logout;
        session.Closing = true;
        return ImapResponses.Completed;
    }
}

/// <summary>ID (RFC 2971): the client's parameters are ignored; the server names itself without a version.</summary>
internal sealed class IdCommand : IImapCommand
{
    public Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        var ok = false;
        if (reader.IsNext("NIL"u8, advancePast: true) || reader.IsNext("nil"u8, advancePast: true))
        {
            ok = reader.End;
        }
        else if (reader.IsNext((byte)'(', advancePast: true))
        {
            ok = true;
            var count = 0;
            while (ok && !reader.IsNext((byte)')', advancePast: true))
            {
                // RFC 2971 §3.3: at most 30 field-value pairs, fields at most 30 octets, values at most 1024.
                ok = ++count <= 30
                    && (count == 1 || ImapParser.TryParseSp(ref reader))
                    && ImapParser.TryParseString(ref reader, out var field) && field.Length <= 30
                    && ImapParser.TryParseSp(ref reader)
                    && (reader.IsNext("NIL"u8, advancePast: true) || (ImapParser.TryParseString(ref reader, out var value) && value.Length <= 1024));
            }

            ok = ok && reader.End;
        }

        if (!ok)
        {
            return Task.FromResult<ImapResult?>(ImapResponses.SyntaxError);
        }

        session.Untagged("ID (\"name\" \"Postroom\")");
        return Task.FromResult<ImapResult?>(ImapResponses.Completed);
    }
}

/// <summary>NAMESPACE (RFC 2342): one personal namespace with "/" as the delimiter, nothing shared.</summary>
internal sealed class NamespaceCommand : IImapCommand
{
    public Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!Arguments.IsEmpty(request))
        {
            return Task.FromResult<ImapResult?>(ImapResponses.SyntaxError);
        }

        session.Untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
        return Task.FromResult<ImapResult?>(ImapResponses.Completed);
    }
}

/// <summary>ENABLE (RFC 5161): no extension here needs enabling yet, so the ENABLED list is always empty.</summary>
internal sealed class EnableCommand : IImapCommand
{
    public Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Reader();
        var any = false;
        while (ImapParser.TryParseAtom(ref reader, out _))
        {
            any = true;
            if (!ImapParser.TryParseSp(ref reader))
            {
                break;
            }
        }

        if (!any || !reader.End)
        {
            return Task.FromResult<ImapResult?>(ImapResponses.SyntaxError);
        }

        session.Untagged("ENABLED");
        return Task.FromResult<ImapResult?>(ImapResponses.Completed);
    }
}

/// <summary>CLOSE (RFC 3501 §6.4.2) expunges silently then leaves; UNSELECT (RFC 3691) only leaves.</summary>
internal sealed class CloseCommand(bool expunge) : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!Arguments.IsEmpty(request))
        {
            return ImapResponses.SyntaxError;
        }

        var box = session.Selected!;
        if (expunge && !box.ReadOnly)
        {
            await session.Store.ExpungeAsync(session.User, box.Name, null, cancellationToken).ConfigureAwait(false);
        }

        await session.CloseSelectedAsync().ConfigureAwait(false);
        return ImapResponses.Completed;
    }
}
