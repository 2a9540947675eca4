using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postroom.Testing;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) run as a child process on a free 127.0.0.1 port,
/// in its own temporary directory, with <c>--appendonly yes --appendfsync always --save ""</c>:
/// every acknowledged write is fsynced to the AOF. Killed and its directory deleted on dispose.
/// </summary>
/// <remarks>
/// Never skips: when redis-server is missing, <see cref="StartAsync"/> throws with instructions.
/// Set <c>POSTROOM_REDIS_SERVER</c> to use a binary outside the usual places.
/// </remarks>
public sealed class RedisServer : IAsyncDisposable, IDisposable
{
    private static readonly string[] SearchPaths = ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"];

    private readonly string _executable;
    private readonly string[] _extraArguments;
    private readonly StringBuilder _output = new();
    private Process? _process;
    private bool _ownsDirectory;

    private RedisServer(string executable, string directory, int port, string[] extraArguments)
    {
        _executable = executable;
        DataDirectory = directory;
        Port = port;
        _extraArguments = extraArguments;
    }

    /// <summary>Always 127.0.0.1.</summary>
    public static string Host => "127.0.0.1";

    /// <summary>The TCP port.</summary>
    public int Port { get; private set; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string EndPoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>The server's working directory (AOF in <c>appendonlydir</c>).</summary>
    public string DataDirectory { get; }

    /// <summary>The server's process id while running.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>What the server printed so far (its log goes to stdout).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a server in a new temporary directory. <paramref name="extraArguments"/> are appended
    /// to the command line (e.g. <c>--replicaof 127.0.0.1 6379</c>).
    /// </summary>
    public static async Task<RedisServer> StartAsync(IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default)
    {
        var executable = FindExecutable();
        var extra = extraArguments?.ToArray() ?? [];
        var directory = Path.Combine(Path.GetTempPath(), "postroom-redis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);

        // The free port is found by binding port 0; another process may take it before redis
        // does, so retry with a new port.
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var server = new RedisServer(executable, directory, FreePort.Get(), extra) { _ownsDirectory = true };
            try
            {
                await server.LaunchAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (RedisServerStartException e)
            {
                last = e;
                server.KillProcess();
            }
        }

        TryDeleteDirectory(directory);
        throw new InvalidOperationException("redis-server did not start after 5 attempts.", last);
    }

    /// <summary>
    /// Kills the server with SIGKILL (no shutdown, no final fsync beyond what <c>appendfsync
    /// always</c> already did) and waits until it is gone.
    /// </summary>
    public void Kill() => KillProcess();

    /// <summary>Starts the server again on the same port and directory, loading its AOF.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        KillProcess();
        return LaunchAsync(cancellationToken);
    }

    /// <summary><see cref="Kill"/> then <see cref="RestartAsync"/>: a crash and recovery.</summary>
    public Task KillAndRestartAsync(CancellationToken cancellationToken = default) => RestartAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        KillProcess();
        if (_ownsDirectory)
        {
            TryDeleteDirectory(DataDirectory);
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_executable)
        {
            WorkingDirectory = DataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", Host,
            "--dir", DataDirectory,
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--save", string.Empty,
            "--daemonize", "no",
            "--protected-mode", "no",
            "--logfile", string.Empty,
            .. _extraArguments,
        ];
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {_executable}.");
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new RedisServerStartException($"redis-server exited with code {process.ExitCode} during start-up:\n{Output}");
            }

            if (await TryPingAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new RedisServerStartException($"redis-server did not answer PING on {EndPoint} within 20 s:\n{Output}");
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True once the server answers PING with PONG (not while it is still loading its AOF).</summary>
    private async Task<bool> TryPingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void KillProcess()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                // Process.Kill is SIGKILL on Unix.
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("POSTROOM_REDIS_SERVER");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"POSTROOM_REDIS_SERVER points to '{configured}', which does not exist.");
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return SearchPaths.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "redis-server was not found (looked in PATH and " + string.Join(", ", SearchPaths) + "). " +
                "Install Redis 7 (Debian/Ubuntu: 'apt-get install redis-server') or set POSTROOM_REDIS_SERVER to its path. " +
                "The queue tests need a real Redis and are never skipped.");
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class RedisServerStartException(string message) : Exception(message);
}
