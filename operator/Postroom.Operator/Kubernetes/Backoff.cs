namespace Postroom.Operator.Kubernetes;

/// <summary>Capped exponential back-off with full jitter, so replicas that failed together do not retry together.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 16)));
        _attempt++;

        // Half fixed, half random: never zero, never synchronised.
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    public void Reset() => _attempt = 0;
}
