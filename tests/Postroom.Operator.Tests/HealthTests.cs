namespace Postroom.Operator.Tests;

/// <summary>The probes the chart points Kubernetes at.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_readiness_and_metrics_are_served()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var running = await environment.StartOperatorAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{running.HttpPort}") };

        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal("ready", await http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        Assert.Contains("# TYPE", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }
}
