namespace Postroom.Mailbox;

/// <summary>A mailbox store operation refused for a reason the client can be told.</summary>
public class MailboxException : Exception
{
    public MailboxException()
    {
    }

    public MailboxException(string message)
        : base(message)
    {
    }

    public MailboxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The mailbox does not exist (IMAP <c>NO [NONEXISTENT]</c>, gRPC NOT_FOUND).</summary>
public sealed class MailboxNotFoundException : MailboxException
{
    public MailboxNotFoundException()
    {
    }

    public MailboxNotFoundException(string message)
        : base(message)
    {
    }

    public MailboxNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The target name exists already (IMAP <c>NO [ALREADYEXISTS]</c>).</summary>
public sealed class MailboxAlreadyExistsException : MailboxException
{
    public MailboxAlreadyExistsException()
    {
    }

    public MailboxAlreadyExistsException(string message)
        : base(message)
    {
    }

    public MailboxAlreadyExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The user's quota would be exceeded (IMAP <c>NO [OVERQUOTA]</c>, gRPC RESOURCE_EXHAUSTED).</summary>
public sealed class MailboxQuotaExceededException : MailboxException
{
    public MailboxQuotaExceededException()
    {
    }

    public MailboxQuotaExceededException(string message)
        : base(message)
    {
    }

    public MailboxQuotaExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
