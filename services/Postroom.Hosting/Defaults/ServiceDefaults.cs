using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Postroom.Hosting.Defaults;

/// <summary>
/// Health, readiness and metrics for every Postroom service. <c>/healthz</c> says the process is alive;
/// <c>/readyz</c> turns 503 as soon as shutdown starts, so the load balancer stops sending new connections
/// while sessions in progress drain; <c>/metrics</c> serves Prometheus.
/// </summary>
public static class ServiceDefaults
{
    public static WebApplicationBuilder AddPostroomDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Postroom.*")
            .AddMeter("System.Runtime")
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapPostroomDefaults(this WebApplication app)
    {
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => lifetime.ApplicationStopping.IsCancellationRequested
            ? Results.Text("shutting down", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready"));
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
