namespace Postroom.Smtp.Session;

/// <summary>Where a session is in RFC 5321's command sequence.</summary>
public enum SmtpState
{
    /// <summary>Greeted the client; waiting for EHLO or HELO.</summary>
    Connected,

    /// <summary>EHLO/HELO done, no transaction.</summary>
    Ready,

    /// <summary>MAIL accepted, no recipient yet.</summary>
    MailGiven,

    /// <summary>At least one RCPT accepted.</summary>
    RcptGiven,

    /// <summary>BDAT chunks are arriving (RFC 3030).</summary>
    Bdat,
}
