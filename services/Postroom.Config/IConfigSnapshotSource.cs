using Postroom.Config.Snapshot;

namespace Postroom.Config;

/// <summary>
/// The configuration a service uses right now. Services read <see cref="Current"/> per decision, so a new
/// snapshot applies to the next command without restarts or dropped connections.
/// </summary>
public interface IConfigSnapshotSource
{
    ConfigSnapshot Current { get; }
}

/// <summary>A fixed snapshot, or one a caller swaps atomically (the all-in-one host's file watcher, tests).</summary>
public sealed class StaticConfigSnapshotSource(ConfigSnapshot snapshot) : IConfigSnapshotSource
{
    private ConfigSnapshot _current = snapshot;

    public ConfigSnapshot Current => Volatile.Read(ref _current);

    public void Update(ConfigSnapshot snapshot) => Volatile.Write(ref _current, snapshot);
}
