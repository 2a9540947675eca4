using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Garnet;

namespace Postroom.EmbeddedRedis;

/// <summary>
/// An in-process Microsoft Garnet server speaking RESP on a TCP port, configured as the durable
/// store of the all-in-one host: Lua enabled (scripts run as transactions, so they are atomic),
/// AOF with a commit per operation that is on disk before the reply, recovery from the data
/// directory on start, periodic checkpoints.
/// </summary>
/// <remarks>
/// <para>
/// Settings (Garnet 2.2.8 command-line names): <c>--lua --lua-transaction-mode</c>;
/// <c>--aof --aof-commit-freq 0 --aof-commit-wait</c> (each operation is committed at once and the
/// reply waits for the commit) with <c>--device-type FileStream</c>, whose files are opened with
/// O_SYNC, so a commit is on stable storage (see <see cref="GarnetFileDevice"/> for the faster,
/// weaker alternative); <c>--recover --fail-on-recovery-error</c>;
/// <c>--storage-tier --logdir</c> so records beyond memory spill to disk instead of being evicted;
/// <c>--checkpoint-freq</c> and a checkpoint on dispose, after which Garnet truncates the AOF.
/// </para>
/// <para>
/// Garnet has no <c>WAIT</c> (no replicas here) and no Stream commands, and only transaction
/// mode locks a script's keys, so this class always enables it. Throughput with these settings
/// is bound by the disk's synchronous-write latency (no group commit). See the queue's
/// <c>DURABILITY.md</c>.
/// </para>
/// </remarks>
public sealed class EmbeddedGarnetServer : IAsyncDisposable
{
    private readonly GarnetServer _server;
    private readonly EmbeddedGarnetOptions _options;
    private int _disposed;

    private EmbeddedGarnetServer(GarnetServer server, EmbeddedGarnetOptions options, int port)
    {
        _server = server;
        _options = options;
        Port = port;
    }

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The address the server listens on.</summary>
    public string Host => _options.BindAddress;

    /// <summary><c>host:port</c>, e.g. for a StackExchange.Redis configuration string.</summary>
    public string EndPoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>The data directory.</summary>
    public string DataDirectory => _options.DataDirectory;

    /// <summary>
    /// Starts a server (recovering <see cref="EmbeddedGarnetOptions.DataDirectory"/> if it holds
    /// data). Blocks for the recovery.
    /// </summary>
    public static EmbeddedGarnetServer Start(EmbeddedGarnetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.DataDirectory);
        Directory.CreateDirectory(options.DataDirectory);

        // With a free port picked here there is a small race with other processes; retry.
        var attempts = options.Port == 0 ? 5 : 1;
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port == 0 ? FreePort(options.BindAddress) : options.Port;
            GarnetServer? server = null;
            try
            {
                server = new GarnetServer(BuildArguments(options, port), options.LoggerFactory, cleanupDir: false);
                server.Start();
                return new EmbeddedGarnetServer(server, options, port);
            }
            catch (SocketException) when (attempt < attempts)
            {
                server?.Dispose();
            }
            catch
            {
                server?.Dispose();
                throw;
            }
        }
    }

    /// <summary>Starts a server on a background thread (recovery can take a while).</summary>
    public static Task<EmbeddedGarnetServer> StartAsync(EmbeddedGarnetOptions options, CancellationToken cancellationToken = default) =>
        Task.Run(() => Start(options), cancellationToken);

    /// <summary>The Garnet command line used for <paramref name="options"/> on <paramref name="port"/>.</summary>
    public static string[] BuildArguments(EmbeddedGarnetOptions options, int port)
    {
        ArgumentNullException.ThrowIfNull(options);
        var data = Path.GetFullPath(options.DataDirectory);
        var args = new List<string>
        {
            "--bind", options.BindAddress,
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "-q",
            "--logger-level", options.LogLevel.ToString(),

            // Lua, and atomic Lua: lock the declared keys for the whole script.
            "--lua",
            "--lua-transaction-mode",

            // Larger-than-memory: spill records to disk rather than evicting them.
            "--storage-tier",
            "--logdir", Path.Combine(data, "log"),
            "--checkpointdir", Path.Combine(data, "checkpoints"),
            "-m", options.MemorySize,
            "-i", options.IndexSize,

            // FileStream opens the AOF and its commit files with O_SYNC, so a commit is on stable
            // storage when the write returns. RandomAccess uses O_DIRECT without O_SYNC and never
            // fsyncs (checked with strace on Garnet 2.2.8): it survives a process crash, not a
            // power cut. The native device needs libaio, which slim images lack.
            "--device-type", options.Device == GarnetFileDevice.DirectFile ? "RandomAccess" : "FileStream",

            // The write-ahead log.
            "--aof",
            // Commit each operation on its own. (A periodic commit with --aof-commit-wait was far
            // slower in tests with Garnet 2.2.8, apparently because a script waits for the next
            // tick while holding its key locks.)
            "--aof-commit-freq", options.CommitMode == GarnetCommitMode.PerWrite ? "0" : "100",

            // Start from what is on disk, and refuse to start on a broken recovery rather than
            // come up empty.
            "--recover",
            "--fail-on-recovery-error",
        };

        if (options.CommitMode == GarnetCommitMode.PerWrite)
        {
            // Reply only after the operation's AOF commit reached the device.
            args.Add("--aof-commit-wait");
        }

        if (options.CheckpointInterval > TimeSpan.Zero)
        {
            args.Add("--checkpoint-freq");
            args.Add(Math.Max(1, (int)options.CheckpointInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        args.AddRange(options.AdditionalArguments);
        return [.. args];
    }

    /// <summary>
    /// Takes a checkpoint (Garnet's <c>SAVE</c>), after which recovery starts from it and the AOF
    /// before it can be truncated.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var reply = await SendCommandAsync("SAVE", cancellationToken).ConfigureAwait(false);
        if (!reply.StartsWith('+'))
        {
            throw new InvalidOperationException($"Garnet refused to checkpoint: {reply}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_options.CheckpointOnDispose)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var reply = await SendCommandAsync("SAVE", timeout.Token).ConfigureAwait(false);
                _ = reply;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The AOF still has every acknowledged write; the next start just replays more.
            }
        }

        _server.Dispose();
    }

    /// <summary>Sends one argument-less command over a short-lived RESP connection and returns the reply line.</summary>
    private async Task<string> SendCommandAsync(string command, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Parse(Host), Port, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        var request = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"*1\r\n${command.Length}\r\n{command}\r\n"));
        await stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);

        var buffer = new byte[512];
        var line = new StringBuilder();
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("Garnet closed the connection without replying.");
            }

            line.Append(Encoding.ASCII.GetString(buffer, 0, read));
            var end = line.ToString().IndexOf("\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return line.ToString(0, end);
            }
        }
    }

    private static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
