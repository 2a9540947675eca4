namespace Postroom.Queue;

/// <summary>
/// A write was applied but could not be confirmed as durable as configured (too few replicas
/// acknowledged it in time). The caller must treat the operation as failed (ingress answers 4xx);
/// the write may still survive, so a retry has to be idempotent.
/// </summary>
public sealed class QueueDurabilityException : Exception
{
    public QueueDurabilityException()
    {
    }

    public QueueDurabilityException(string message)
        : base(message)
    {
    }

    public QueueDurabilityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
