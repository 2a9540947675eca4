namespace Postroom.Imap.Protocol;

/// <summary>The status of a tagged or untagged status response (RFC 3501 §7.1).</summary>
public enum ImapStatus
{
    Ok,
    No,
    Bad,
    Bye,
}

/// <summary>A status response: status, optional response code (RFC 3501 §7.1, RFC 5530), and human-readable text.</summary>
public sealed record ImapResult(ImapStatus Status, string? Code, string Text)
{
    /// <summary>The response line for <paramref name="tag"/> ("*" for untagged), without CRLF.</summary>
    public string ToLine(string tag)
    {
        var status = Status switch
        {
            ImapStatus.Ok => "OK",
            ImapStatus.No => "NO",
            ImapStatus.Bad => "BAD",
            _ => "BYE",
        };
        return Code is null ? $"{tag} {status} {Text}" : $"{tag} {status} [{Code}] {Text}";
    }

    public ImapResult WithText(string text) => this with { Text = text };
}

/// <summary>
/// Every fixed status response the server sends, with its response code. Tests assert both, so changing
/// a code here is a protocol change.
/// </summary>
public static class ImapResponses
{
    public static readonly ImapResult Completed = new(ImapStatus.Ok, null, "Completed");

    // Untagged BYE: the session ends.
    public static readonly ImapResult Logout = new(ImapStatus.Bye, null, "Logging out");
    public static readonly ImapResult IdleTimeout = new(ImapStatus.Bye, "UNAVAILABLE", "Idle timeout, closing connection");
    public static readonly ImapResult ShuttingDown = new(ImapStatus.Bye, "UNAVAILABLE", "Server shutting down");
    public static readonly ImapResult TooManyErrors = new(ImapStatus.Bye, null, "Too many errors, closing connection");
    public static readonly ImapResult LiteralTooLargeToSkip = new(ImapStatus.Bye, "TOOBIG", "Literal too large, closing connection");

    // BAD: the command was not understood or not allowed now.
    public static readonly ImapResult UnknownCommand = new(ImapStatus.Bad, null, "Unknown command");
    public static readonly ImapResult SyntaxError = new(ImapStatus.Bad, null, "Syntax error in arguments");
    public static readonly ImapResult LineTooLong = new(ImapStatus.Bad, "TOOBIG", "Command line too long");
    public static readonly ImapResult LiteralTooLarge = new(ImapStatus.Bad, "TOOBIG", "Literal too large");
    public static readonly ImapResult CommandTooLarge = new(ImapStatus.Bad, "TOOBIG", "Command too large");
    public static readonly ImapResult BadLineEnding = new(ImapStatus.Bad, null, "Lines must end with CRLF");
    public static readonly ImapResult NulInCommand = new(ImapStatus.Bad, null, "NUL in command");
    public static readonly ImapResult NotAllowedNow = new(ImapStatus.Bad, null, "Command not valid in this state");
    public static readonly ImapResult InvalidSequenceSet = new(ImapStatus.Bad, null, "Invalid sequence set");
    public static readonly ImapResult AlreadyTls = new(ImapStatus.Bad, null, "TLS is already active");
    public static readonly ImapResult AuthCancelled = new(ImapStatus.Bad, null, "Authentication cancelled");
    public static readonly ImapResult UnknownMechanism = new(ImapStatus.No, "CANNOT", "Unsupported authentication mechanism");
    public static readonly ImapResult InvalidBase64 = new(ImapStatus.Bad, null, "Invalid base64");
    public static readonly ImapResult ExpectedDone = new(ImapStatus.Bad, null, "Expected DONE");

    // NO: understood, but refused.
    public static readonly ImapResult AuthFailed = new(ImapStatus.No, "AUTHENTICATIONFAILED", "Authentication failed");
    public static readonly ImapResult PrivacyRequired = new(ImapStatus.No, "PRIVACYREQUIRED", "Use STARTTLS first");
    public static readonly ImapResult TlsNotAvailable = new(ImapStatus.No, "UNAVAILABLE", "TLS not available");
    public static readonly ImapResult NoSuchMailbox = new(ImapStatus.No, "NONEXISTENT", "No such mailbox");
    public static readonly ImapResult TryCreate = new(ImapStatus.No, "TRYCREATE", "No such mailbox");
    public static readonly ImapResult AlreadyExists = new(ImapStatus.No, "ALREADYEXISTS", "Mailbox already exists");
    public static readonly ImapResult InvalidMailboxName = new(ImapStatus.No, "CANNOT", "Invalid mailbox name");
    public static readonly ImapResult CannotDeleteInbox = new(ImapStatus.No, "CANNOT", "INBOX cannot be deleted");
    public static readonly ImapResult OverQuota = new(ImapStatus.No, "OVERQUOTA", "Quota exceeded");
    public static readonly ImapResult MessageTooLarge = new(ImapStatus.No, "TOOBIG", "Message too large");
    public static readonly ImapResult ReadOnly = new(ImapStatus.No, "READ-ONLY", "Mailbox is read-only");
    public static readonly ImapResult BadCharset = new(ImapStatus.No, "BADCHARSET (UTF-8 US-ASCII)", "Unsupported charset");
    public static readonly ImapResult InvalidFlag = new(ImapStatus.Bad, null, "Invalid flag");
    public static readonly ImapResult ServerBug = new(ImapStatus.No, "SERVERBUG", "Internal error, try again later");
    public static readonly ImapResult NoSuchQuotaRoot = new(ImapStatus.No, "NONEXISTENT", "No such quota root");
}
