namespace Postroom.Queue;

/// <summary>
/// Makes the writes a caller has completed durable before it acknowledges them to anyone, for stores that
/// acknowledge writes before committing them (embedded Garnet in group-commit mode). Redis with
/// <c>appendfsync always</c> needs none.
/// </summary>
public interface IDurabilityBarrier
{
    /// <summary>Returns once every write this caller completed before the call is committed.</summary>
    Task WaitDurableAsync(CancellationToken cancellationToken);
}
