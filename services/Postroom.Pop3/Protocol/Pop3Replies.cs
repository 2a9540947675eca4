using System.Globalization;

namespace Postroom.Pop3.Protocol;

/// <summary>
/// Every fixed response the server sends. Extended response codes (RFC 2449 §8, RFC 3206) are advertised with
/// RESP-CODES and AUTH-RESP-CODE; tests assert them, so changing one here is a protocol change.
/// </summary>
public static class Pop3Replies
{
    public const string AuthCode = "AUTH";
    public const string SysTempCode = "SYS/TEMP";
    public const string SysPermCode = "SYS/PERM";
    public const string InUseCode = "IN-USE";

    public static readonly Pop3Reply UserAccepted = new(true, null, "Send PASS");
    public static readonly Pop3Reply Capabilities = new(true, null, "Capability list follows");
    public static readonly Pop3Reply Mechanisms = new(true, null, "Mechanisms follow");
    public static readonly Pop3Reply BeginTls = new(true, null, "Begin TLS negotiation");
    public static readonly Pop3Reply NoopOk = new(true, null, "");
    public static readonly Pop3Reply Bye = new(true, null, "Bye", ClosesConnection: true);
    public static readonly Pop3Reply UidlFollows = new(true, null, "Unique-id listing follows");
    public static readonly Pop3Reply TopFollows = new(true, null, "Top of message follows");

    // Syntax, sequence, limits.
    public static readonly Pop3Reply UnknownCommand = new(false, null, "Unknown command");
    public static readonly Pop3Reply SyntaxError = new(false, null, "Syntax error in arguments");
    public static readonly Pop3Reply LineTooLong = new(false, null, "Line too long");
    public static readonly Pop3Reply BareLineFeed = new(false, null, "Lines must end with CRLF");
    public static readonly Pop3Reply NulInCommand = new(false, null, "NUL character in command");
    public static readonly Pop3Reply NotInThisState = new(false, null, "Command not valid in this state");
    public static readonly Pop3Reply AlreadyAuthenticated = new(false, null, "Already authenticated");
    public static readonly Pop3Reply NeedUser = new(false, null, "Send USER first");
    public static readonly Pop3Reply TooManyErrors = new(false, null, "Too many errors, closing connection", ClosesConnection: true);
    public static readonly Pop3Reply NoSuchMessage = new(false, null, "No such message");
    public static readonly Pop3Reply MessageDeleted = new(false, null, "Message already deleted");

    // Time.
    public static readonly Pop3Reply IdleTimeout = new(false, null, "Autologout: idle for too long", ClosesConnection: true);
    public static readonly Pop3Reply SessionTimeout = new(false, null, "Session time limit reached", ClosesConnection: true);
    public static readonly Pop3Reply ShuttingDown = new(false, SysTempCode, "Server shutting down, try again later", ClosesConnection: true);

    // TLS and authentication.
    public static readonly Pop3Reply TlsNotAvailable = new(false, null, "TLS not available");
    public static readonly Pop3Reply AlreadyTls = new(false, null, "Command not permitted when TLS active");
    public static readonly Pop3Reply EncryptionRequired = new(false, AuthCode, "Plaintext authentication disallowed on non-secure connections");
    public static readonly Pop3Reply AuthFailed = new(false, AuthCode, "Authentication failed");
    public static readonly Pop3Reply AuthThrottled = new(false, SysTempCode, "Too many failed logins, try again later");
    public static readonly Pop3Reply AuthMechanismUnknown = new(false, null, "Unrecognized authentication mechanism");
    public static readonly Pop3Reply AuthCancelled = new(false, null, "Authentication cancelled");
    public static readonly Pop3Reply AuthInvalidBase64 = new(false, null, "Cannot decode base64 response");
    public static readonly Pop3Reply MaildropLocked = new(false, InUseCode, "Maildrop is locked by another session");
    public static readonly Pop3Reply TooManyConnections = new(false, SysTempCode, "Too many connections from your address, try again later", ClosesConnection: true);
    public static readonly Pop3Reply MaildropUnavailable = new(false, SysTempCode, "Maildrop unavailable, try again later");

    // Messages.
    public static readonly Pop3Reply MessageUnavailable = new(false, SysTempCode, "Message unavailable, try again later");
    public static readonly Pop3Reply MessageGone = new(false, SysPermCode, "Message content is missing from storage");
    public static readonly Pop3Reply UpdateFailed = new(false, SysTempCode, "Some deleted messages were not removed", ClosesConnection: true);

    public static Pop3Reply Greeting(Pop3Options options) => new(true, null, $"{options.HostName} POP3 ready");

    public static Pop3Reply LoggedIn(int messages, long size) => new(true, null, string.Create(CultureInfo.InvariantCulture, $"Logged in, {messages} messages ({size} octets)"));

    public static Pop3Reply Stat(int messages, long size) => new(true, null, string.Create(CultureInfo.InvariantCulture, $"{messages} {size}"));

    public static Pop3Reply ListFollows(int messages, long size) => new(true, null, string.Create(CultureInfo.InvariantCulture, $"{messages} messages ({size} octets)"));

    public static Pop3Reply Scan(int number, long size) => new(true, null, string.Create(CultureInfo.InvariantCulture, $"{number} {size}"));

    public static Pop3Reply UniqueId(int number, string id) => new(true, null, string.Create(CultureInfo.InvariantCulture, $"{number} {id}"));

    public static Pop3Reply MessageFollows(long size) => new(true, null, string.Create(CultureInfo.InvariantCulture, $"{size} octets"));

    public static Pop3Reply MarkedDeleted(int number) => new(true, null, string.Create(CultureInfo.InvariantCulture, $"Message {number} deleted"));

    public static Pop3Reply Reset(int messages, long size) => new(true, null, string.Create(CultureInfo.InvariantCulture, $"Maildrop has {messages} messages ({size} octets)"));

    public static Pop3Reply SignedOff(int deleted) => new(true, null, string.Create(CultureInfo.InvariantCulture, $"Bye, {deleted} messages deleted"), ClosesConnection: true);
}
