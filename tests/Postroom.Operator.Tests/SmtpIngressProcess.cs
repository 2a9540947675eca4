using System.Diagnostics;
using System.Text;
using Postroom.Testing;

namespace Postroom.Operator.Tests;

/// <summary>The real smtp-ingress (<c>smtp-ingress.dll</c>) as a child process reading its config snapshot from Redis.</summary>
public sealed class SmtpIngressProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("postroom-ingress-").FullName;
    private Process? _process;

    public int MxPort { get; } = FreePort.Get();

    public int SubmissionPort { get; } = FreePort.Get();

    public int HttpPort { get; } = FreePort.Get();

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

    public static async Task<SmtpIngressProcess> StartAsync(string redisEndPoint)
    {
        var ingress = new SmtpIngressProcess();
        await ingress.LaunchAsync(redisEndPoint);
        return ingress;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Released a moment later; the OS cleans temp folders.
        }
    }

    private async Task LaunchAsync(string redisEndPoint)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryRoot.Find(), "services", "Postroom.SmtpIngress", "bin", configuration, "net10.0", "smtp-ingress.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build smtp-ingress first ({dll} is missing)");
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            dll,
            $"--Redis:Configuration={redisEndPoint}",
            "--BlobStore:Kind=FileSystem",
            $"--BlobStore:Path={Path.Combine(_directory, "blobs")}",
            "--Http:Address=127.0.0.1",
            $"--Http:Port={HttpPort}",
            "--Smtp:AllowInsecureAuth=true",
            "--Smtp:Listeners:mx:Address=127.0.0.1",
            $"--Smtp:Listeners:mx:Port={MxPort}",
            "--Smtp:Listeners:mx:Role=Mx",
            "--Smtp:Listeners:submission:Role=Submission",
            "--Smtp:Listeners:submission:Address=127.0.0.1",
            $"--Smtp:Listeners:submission:Port={SubmissionPort}",

            // Implicit TLS needs a certificate: a self-signed one, made on first start.
            $"--Tls:SelfSignedDirectory={Path.Combine(_directory, "tls")}",
            "--Smtp:Listeners:submissions:Role=Submissions",
            "--Smtp:Listeners:submissions:ImplicitTls=true",
            "--Smtp:Listeners:submissions:Address=127.0.0.1",
            $"--Smtp:Listeners:submissions:Port={FreePort.Get()}",
        })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start smtp-ingress");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"smtp-ingress exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/readyz"));
                if (response.IsSuccessStatusCode && !FreePort.IsFree(MxPort))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"smtp-ingress did not become ready:\n{Output}");
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
