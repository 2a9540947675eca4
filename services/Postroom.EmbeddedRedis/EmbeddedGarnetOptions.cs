using Microsoft.Extensions.Logging;

namespace Postroom.EmbeddedRedis;

/// <summary>Which Garnet storage device writes the AOF (and everything else) to files.</summary>
public enum GarnetFileDevice
{
    /// <summary>
    /// Garnet's FileStream device: files opened with O_SYNC, so each AOF commit is on stable
    /// storage when Garnet replies. Survives a process crash and a power cut. Each commit is a
    /// synchronous disk write, so throughput follows the disk's sync-write latency.
    /// </summary>
    SyncFile = 0,

    /// <summary>
    /// Garnet's RandomAccess device: O_DIRECT writes, never fsynced (Garnet 2.2.8). An
    /// acknowledged write survives a crash of the process (the kernel has it) but not
    /// necessarily a power cut or kernel crash (disk write cache, file-size metadata).
    /// About 3 to 6 times faster than <see cref="SyncFile"/> on the benchmark machine.
    /// </summary>
    DirectFile = 1,
}

/// <summary>When Garnet's append-only file is committed, and so when a write is durable.</summary>
public enum GarnetCommitMode
{
    /// <summary>
    /// Each operation is committed on its own and Garnet replies only after its commit reached the
    /// device. Safe without any help from the client, but commits are serial: throughput follows
    /// the disk's sync-write latency (about 250 writes/s on the benchmark machine).
    /// </summary>
    PerWrite = 0,

    /// <summary>
    /// Writes are acknowledged at once and committed in the background every 100 ms; a client that
    /// needs a write durable issues <c>COMMITAOF</c>, which returns once everything written before it
    /// is committed. One <c>COMMITAOF</c> covers every write in flight (group commit): use
    /// <c>Postroom.Queue.AofGroupCommit</c>.
    /// </summary>
    Group = 1,

    /// <summary>Committed in the background every 100 ms and nobody waits: a crash may lose the last writes.</summary>
    Background = 2,
}

/// <summary>Settings of <see cref="EmbeddedGarnetServer"/>.</summary>
public sealed class EmbeddedGarnetOptions
{
    /// <summary>
    /// Where Garnet keeps its append-only file, checkpoints and spilled log pages. Created if
    /// missing; an existing directory is recovered on start.
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>TCP port; 0 (default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Address to listen on (default 127.0.0.1: only this host).</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>
    /// When writes become durable (default <see cref="GarnetCommitMode.PerWrite"/>); how far "on disk"
    /// goes depends on <see cref="Device"/>.
    /// </summary>
    public GarnetCommitMode CommitMode { get; init; } = GarnetCommitMode.PerWrite;

    /// <summary>The file device (default <see cref="GarnetFileDevice.SyncFile"/>: acknowledged means on stable storage).</summary>
    public GarnetFileDevice Device { get; init; } = GarnetFileDevice.SyncFile;

    /// <summary>Memory for the main log (records beyond it spill to <see cref="DataDirectory"/>), Garnet size syntax.</summary>
    public string MemorySize { get; init; } = "512m";

    /// <summary>Hash index size, Garnet size syntax (it grows when needed).</summary>
    public string IndexSize { get; init; } = "16m";

    /// <summary>
    /// Interval of background checkpoints, which bound recovery time and let the AOF be
    /// truncated (default 5 minutes; zero disables).
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Take a checkpoint when disposed, so the next start replays little AOF (default true).</summary>
    public bool CheckpointOnDispose { get; init; } = true;

    /// <summary>Garnet's log level when <see cref="LoggerFactory"/> is null (default Warning, to the console).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Where Garnet logs; null uses Garnet's console logger at <see cref="LogLevel"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Further Garnet command-line options, appended last (they win).</summary>
    public IReadOnlyList<string> AdditionalArguments { get; init; } = [];
}
