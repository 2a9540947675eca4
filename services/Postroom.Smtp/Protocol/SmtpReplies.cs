namespace Postroom.Smtp.Protocol;

/// <summary>
/// Every fixed reply the server sends, with its basic and enhanced status code (RFC 5321 §4.2.3, RFC 3463).
/// Tests assert both codes, so changing a code here is a protocol change.
/// </summary>
public static class SmtpReplies
{
    public static readonly SmtpReply Ok = new(250, "2.0.0", "OK");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Sender OK");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Recipient OK");
    public static readonly SmtpReply ResetOk = new(250, "2.0.0", "Reset OK");
    public static readonly SmtpReply NoopOk = new(250, "2.0.0", "OK");
    public static readonly SmtpReply StartData = new(354, null, "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "Ready to start TLS");
    public static readonly SmtpReply AuthSucceeded = new(235, "2.7.0", "Authentication successful");
    public static readonly SmtpReply CannotVerify = new(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
    public static readonly SmtpReply Help = new(214, "2.0.0", "See RFC 5321; commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH");

    // 4xx: try again later.
    public static readonly SmtpReply IdleTimeout = new(421, "4.4.2", "Idle timeout, closing connection");
    public static readonly SmtpReply SessionTimeout = new(421, "4.4.2", "Session time limit reached, closing connection");
    public static readonly SmtpReply ShuttingDown = new(421, "4.3.2", "Service shutting down, try again later");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection");
    public static readonly SmtpReply TooManyConnections = new(421, "4.7.0", "Too many connections from your address, try again later");
    public static readonly SmtpReply RateLimited = new(451, "4.7.1", "Rate limit exceeded, try again later");
    public static readonly SmtpReply AuthThrottled = new(454, "4.7.0", "Too many failed authentications, try again later");
    public static readonly SmtpReply LocalError = new(451, "4.3.0", "Local error in processing, message not accepted; try again later");
    public static readonly SmtpReply TlsNotAvailable = new(454, "4.7.0", "TLS not available");
    public static readonly SmtpReply TemporaryAuthFailure = new(454, "4.7.0", "Temporary authentication failure");

    // 5xx: syntax and sequence.
    public static readonly SmtpReply UnknownCommand = new(500, "5.5.1", "Command unrecognized");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Line too long");
    public static readonly SmtpReply BareLineFeed = new(500, "5.5.2", "Bare LF or CR received; lines must end with CRLF");
    public static readonly SmtpReply NulInCommand = new(500, "5.5.2", "NUL character in command");
    public static readonly SmtpReply SyntaxError = new(501, "5.5.4", "Syntax error in parameters or arguments");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "Bad sequence of commands");
    public static readonly SmtpReply NeedHelo = new(503, "5.5.1", "Send EHLO or HELO first");
    public static readonly SmtpReply NeedMail = new(503, "5.5.1", "Send MAIL FROM first");
    public static readonly SmtpReply NeedRcpt = new(503, "5.5.1", "Send RCPT TO first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Sender already specified");
    public static readonly SmtpReply AlreadyAuthenticated = new(503, "5.5.1", "Already authenticated");
    public static readonly SmtpReply AlreadyTls = new(503, "5.5.1", "TLS already active");
    public static readonly SmtpReply NoDataAfterBdat = new(503, "5.5.1", "DATA cannot follow BDAT in one transaction");
    public static readonly SmtpReply ParameterNotImplemented = new(555, "5.5.4", "Parameter not recognized or not implemented");
    public static readonly SmtpReply CommandNotImplemented = new(502, "5.5.1", "Command not implemented");
    public static readonly SmtpReply AuthMechanismUnknown = new(504, "5.5.4", "Unrecognized authentication mechanism");
    public static readonly SmtpReply AuthCancelled = new(501, "5.0.0", "Authentication cancelled");
    public static readonly SmtpReply AuthInvalidBase64 = new(501, "5.5.2", "Cannot decode base64 response");

    // 5xx: policy.
    public static readonly SmtpReply NoSuchUser = new(550, "5.1.1", "No such user here");
    public static readonly SmtpReply MailboxDisabled = new(550, "5.2.1", "Mailbox disabled, not accepting messages");
    public static readonly SmtpReply RelayDenied = new(554, "5.7.1", "Relay access denied");
    public static readonly SmtpReply BadDestinationSyntax = new(553, "5.1.3", "Address syntax not accepted here");
    public static readonly SmtpReply SourceRouteRefused = new(553, "5.1.3", "Source routes and %, ! routing are not accepted");
    public static readonly SmtpReply AddressLiteralRefused = new(553, "5.1.3", "Address literals are not accepted here");
    public static readonly SmtpReply SenderBlocked = new(553, "5.7.1", "Sender address rejected");
    public static readonly SmtpReply SenderNotOwned = new(553, "5.7.1", "Sender address not owned by the authenticated user");
    public static readonly SmtpReply ClientBlocked = new(554, "5.7.1", "Access denied");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Too many recipients");
    public static readonly SmtpReply MessageTooLarge = new(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static readonly SmtpReply MessageLineTooLong = new(500, "5.5.2", "Message line longer than 1000 octets (RFC 5321 section 4.5.3.1.6)");
    public static readonly SmtpReply MessageBareLineEnding = new(554, "5.6.0", "Message contains bare CR or LF; lines must end with CRLF");
    public static readonly SmtpReply MailLoop = new(554, "5.4.6", "Too many Received headers: mail loop detected");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "No valid recipients");
    public static readonly SmtpReply AuthRequired = new(530, "5.7.0", "Authentication required");
    public static readonly SmtpReply EncryptionRequired = new(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static readonly SmtpReply AuthFailed = new(535, "5.7.8", "Authentication credentials invalid");
    public static readonly SmtpReply AuthNotAvailable = new(503, "5.5.1", "AUTH is not available on this port");
    public static readonly SmtpReply SmtpUtf8Required = new(553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter");

    public static readonly SmtpReply Bye = new(221, "2.0.0", "Bye");

    public static SmtpReply Greeting(SmtpOptions options) => new(220, null, $"{options.HostName} {options.Greeting}");

    public static SmtpReply Queued(string queueId) => new(250, "2.0.0", $"OK: queued as {queueId}");

    public static SmtpReply BdatChunkOk(long size) => new(250, "2.0.0", $"{size} octets received");
}
