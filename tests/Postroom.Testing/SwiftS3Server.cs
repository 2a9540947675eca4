using System.Diagnostics;

namespace Postroom.Testing;

/// <summary>
/// A throwaway S3-compatible server for tests: OpenStack Swift with its s3api middleware, started
/// by scripts/swift-s3/start.sh in a fresh temporary directory on free loopback ports, and stopped
/// and deleted on dispose.
/// </summary>
/// <remarks>
/// Swift stands in for MinIO (no MinIO server binary is available) and is strict where it matters:
/// it verifies SigV4 signatures and lists like S3. Startup takes about 6-8 s, so share one
/// instance per test class or collection. If Swift is not installed this throws: tests that need
/// S3 must fail loudly, never skip.
/// </remarks>
public sealed class SwiftS3Server : IAsyncDisposable
{
    /// <summary>Ports the start script uses: the proxy (S3 endpoint) and four above it.</summary>
    private const int PortsUsed = 5;

    private static readonly string[] RequiredPrograms =
    [
        "swift-proxy-server", "swift-account-server",
        "swift-container-server", "swift-object-server", "memcached",
    ];

    private readonly string _scriptDirectory;
    private bool _disposed;

    private SwiftS3Server(string scriptDirectory, string dataDirectory, int port)
    {
        _scriptDirectory = scriptDirectory;
        DataDirectory = dataDirectory;
        Port = port;
    }

    /// <summary>The S3 endpoint as host:port (plain HTTP, path-style addressing).</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The S3 endpoint as a URL.</summary>
    public Uri EndpointUri => new($"http://127.0.0.1:{Port}/");

    public int Port { get; }

    /// <summary>tempauth user "tester" of account "test", as an S3 access key.</summary>
    public string AccessKey { get; } = "test:tester";

    public string SecretKey { get; } = "testing";

    public string Region { get; } = "us-east-1";

    /// <summary>Config, data, logs (log/*.log) and pid files of this instance.</summary>
    public string DataDirectory { get; }

    /// <summary>Starts a new instance; retries once on new ports if the first start fails.</summary>
    public static async Task<SwiftS3Server> StartAsync(CancellationToken cancellationToken = default)
    {
        var missing = RequiredPrograms.Where(p => FindOnPath(p) is null).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"OpenStack Swift (the local S3 server for tests) is not installed: {string.Join(", ", missing)} not found on PATH. " +
                "Install it with: sudo scripts/install-test-deps.sh " +
                "(apt-get install swift swift-proxy swift-account swift-container swift-object memcached python3-swift).");
        }

        var scriptDirectory = Path.Combine(RepositoryRoot.Find(), "scripts", "swift-s3");
        string? lastOutput = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var port = FreePort.GetConsecutive(PortsUsed);
            var dataDirectory = Directory.CreateTempSubdirectory("postroom-swift-").FullName;
            var (exitCode, output) = await RunAsync(Path.Combine(scriptDirectory, "start.sh"), [dataDirectory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken)
                .ConfigureAwait(false);
            if (exitCode == 0)
            {
                return new SwiftS3Server(scriptDirectory, dataDirectory, port);
            }

            lastOutput = output;
            await StopAndDeleteAsync(scriptDirectory, dataDirectory).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Swift S3 server did not start (scripts/swift-s3/start.sh failed twice). Last output:\n{lastOutput}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAndDeleteAsync(_scriptDirectory, DataDirectory).ConfigureAwait(false);
    }

    private static async Task StopAndDeleteAsync(string scriptDirectory, string dataDirectory)
    {
        try
        {
            await RunAsync(Path.Combine(scriptDirectory, "stop.sh"), [dataDirectory], CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string script, string[] arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not run {script}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within 90 s.");
        }

        return (process.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }

    private static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
    }
}
