using Postroom.Smtp.Protocol;

namespace Postroom.Smtp.Session;

/// <summary>The mail transaction between MAIL FROM and the end of data (RFC 5321 §3.3).</summary>
public sealed class SmtpTransaction(SmtpPath sender, MailParameters parameters, long maxMessageSize)
{
    public SmtpPath Sender { get; } = sender;

    public MailParameters Parameters { get; } = parameters;

    public List<AcceptedRecipient> Recipients { get; } = [];

    /// <summary>The smallest of the listener's limit and the limits of the recipients' domains.</summary>
    public long MaxMessageSize { get; set; } = maxMessageSize;
}
