using k8s;
using Postroom.Hosting.Defaults;
using Postroom.Operator.Hosting;
using Postroom.Operator.Kubernetes;
using Postroom.Operator.Publishing;
using Postroom.Operator.Purging;
using Postroom.Operator.Reconciliation;
using StackExchange.Redis;

namespace Postroom.Operator;

/// <summary>The operator's wiring, shared by <c>Program.cs</c> and the tests (which swap services in <c>configure</c>).</summary>
public static class OperatorApplication
{
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        var settings = configuration.GetSection("Operator").Get<OperatorSettings>() ?? new OperatorSettings();

        builder.AddPostroomDefaults();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IKubernetes>(_ => new k8s.Kubernetes(KubernetesConfiguration(configuration)));
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisOptions(configuration)));
        builder.Services.AddSingleton<IDomainDataPurger>(_ => configuration["MailboxAccess:Endpoint"] is { Length: > 0 } endpoint
            ? GrpcDomainDataPurger.Create(new Uri(endpoint))
            : new UnconfiguredDomainDataPurger());
        builder.Services.AddSingleton<ClusterClient>();
        builder.Services.AddTransient<SnapshotPublisher>();
        builder.Services.AddTransient<MailDomainReconciler>();
        builder.Services.AddTransient<OperatorController>();
        builder.Services.AddSingleton<Func<OperatorController>>(sp => sp.GetRequiredService<OperatorController>);
        builder.Services.AddSingleton<LeaderElectedOperator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LeaderElectedOperator>());
        configure?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenHttp(configuration.GetSection("Http").Get<HttpSettings>() ?? new HttpSettings()));

        var app = builder.Build();
        app.MapPostroomDefaults();
        return app;
    }

    /// <summary><c>Kubernetes:Host</c> when set (tests, out-of-cluster development), else the pod's service account, else kubeconfig.</summary>
    private static KubernetesClientConfiguration KubernetesConfiguration(ConfigurationManager configuration) =>
        configuration["Kubernetes:Host"] is { Length: > 0 } host
            ? new KubernetesClientConfiguration { Host = host }
            : KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile();

    private static ConfigurationOptions RedisOptions(ConfigurationManager configuration)
    {
        var options = ConfigurationOptions.Parse(configuration["Redis:Configuration"] ?? "localhost:6379");

        // Start without Redis and keep retrying: services serve their last snapshot meanwhile.
        options.AbortOnConnectFail = false;
        return options;
    }
}
