using Microsoft.Extensions.Logging;

namespace Postroom.Delivery;

/// <summary>The delivery worker's log lines (event ids 5001-5099).</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information,
        Message = "delivery queue_id={QueueId} recipient={Recipient} target={Target} result={Result} reply=\"{Reply}\" duration_ms={DurationMs} next_attempt={NextAttempt}")]
    public static partial void Attempt(ILogger logger, string queueId, string recipient, string target, string result, string reply, double durationMs, DateTimeOffset? nextAttempt);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "delivery queue_id={QueueId} finished={Finished} status={Status}")]
    public static partial void Completed(ILogger logger, string queueId, bool finished, string status);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "delivery queue_id={QueueId} lease lost before completion; another worker repeats the attempt")]
    public static partial void LeaseLost(ILogger logger, string queueId);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "delivery queue unavailable; retrying")]
    public static partial void QueueUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "delivery queue_id={QueueId} target={Target} append failed")]
    public static partial void AppendFailed(ILogger logger, string queueId, string target, Exception exception);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "delivery queue_id={QueueId} attempt failed; the lease expires and the entry is retried")]
    public static partial void AttemptFailed(ILogger logger, string queueId, Exception exception);
}
