using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Postroom.Testing;

/// <summary>
/// The real all-in-one host (<c>postroom.dll</c>) as a child process on free loopback ports, with its own
/// data directory. Tests talk to it with real clients, kill it with SIGKILL and start it again on the same
/// data to check durability.
/// </summary>
public sealed class PostroomHost : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly string[] _extraArguments;
    private Process? _process;

    private PostroomHost(string dataDirectory, string[] extraArguments)
    {
        DataDirectory = dataDirectory;
        _extraArguments = extraArguments;
        var ports = Enumerable.Range(0, 10).Select(_ => FreePort.Get()).ToArray();
        (MxPort, SubmissionPort, SubmissionsPort, ProxiedPort, HttpPort, GarnetPort) = (ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]);
        (ImapPort, ImapsPort, Pop3Port, Pop3sPort) = (ports[6], ports[7], ports[8], ports[9]);
    }

    public string DataDirectory { get; }

    public int MxPort { get; }

    public int SubmissionPort { get; }

    public int SubmissionsPort { get; }

    /// <summary>An MX listener that expects a PROXY protocol header from 127.0.0.1.</summary>
    public int ProxiedPort { get; }

    public int HttpPort { get; }

    public int ImapPort { get; }

    public int ImapsPort { get; }

    public int Pop3Port { get; }

    public int Pop3sPort { get; }

    public int GarnetPort { get; }

    public string GarnetEndPoint => $"127.0.0.1:{GarnetPort}";

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

    /// <summary>Starts a host on a new data directory; extra arguments are configuration overrides (<c>--Key=value</c>).</summary>
    public static async Task<PostroomHost> StartAsync(params string[] extraArguments)
    {
        var host = new PostroomHost(Directory.CreateTempSubdirectory("postroom-host-").FullName, extraArguments);
        await host.StartProcessAsync().ConfigureAwait(false);
        return host;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts the host again on the same data directory and ports.</summary>
    public Task RestartAsync() => StartProcessAsync();

    /// <summary>SIGTERM, as Kubernetes sends it; waits for the process to exit.</summary>
    public async Task StopGracefullyAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being released by the dead process; the temp folder is cleaned by the OS.
        }
    }

    private async Task StartProcessAsync()
    {
        var root = RepositoryRoot.Find();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(root, "services", "Postroom.AllInOne", "bin", configuration, "net10.0", "postroom.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build the all-in-one host first ({dll} is missing)");
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            dll,
            $"--data-dir={DataDirectory}",
            $"--config-dir={Path.Combine(root, "examples")}",
            $"--Garnet:Port={GarnetPort}",
            $"--Http:Port={HttpPort}",
            $"--Smtp:Listeners:mx:Port={MxPort}",
            $"--Smtp:Listeners:submission:Port={SubmissionPort}",
            $"--Smtp:Listeners:submissions:Port={SubmissionsPort}",
            "--Smtp:Listeners:proxied:Role=Mx",
            "--Smtp:Listeners:proxied:Address=127.0.0.1",
            $"--Smtp:Listeners:proxied:Port={ProxiedPort}",
            "--Smtp:Listeners:proxied:ProxyProtocol=true",
            "--Smtp:Listeners:proxied:TrustedProxies:0=127.0.0.1/32",
            "--Smtp:RelayNetworks:0=10.0.0.0/8",
            $"--MailboxAccess:Listeners:imap:Port={ImapPort}",
            $"--MailboxAccess:Listeners:imaps:Port={ImapsPort}",
            $"--MailboxAccess:Listeners:pop3:Port={Pop3Port}",
            $"--MailboxAccess:Listeners:pop3s:Port={Pop3sPort}",
        }.Concat(_extraArguments))
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start the host");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync().ConfigureAwait(false);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"the host exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/readyz")).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && FreePort.IsFree(MxPort) == false)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow start on a busy machine.
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new TimeoutException($"the host did not become ready:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

/// <summary>Finds the repository root (the folder with Postroom.slnx) above the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Postroom.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Postroom.slnx not found above " + AppContext.BaseDirectory);
    }
}
