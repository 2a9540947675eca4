using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Postroom.Operator.Hosting;

/// <summary>
/// Holds a <c>coordination.k8s.io/v1</c> Lease; only while it leads does it run a controller, so only one
/// replica ever reconciles and writes. Losing the lease cancels the term; the elector then campaigns again.
/// </summary>
public sealed partial class LeaderElectedOperator(IKubernetes client, OperatorSettings settings, Func<OperatorController> controllers, ILogger<LeaderElectedOperator> logger) : BackgroundService
{
    private volatile OperatorController? _current;

    /// <summary>The controller of the current term, when leading.</summary>
    public OperatorController? Current => _current;

    public bool IsLeader => _current is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = new LeaseLock(client, settings.LeaseNamespace, settings.LeaseName, settings.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = settings.LeaseDuration,
            RenewDeadline = settings.RenewDeadline,
            RetryPeriod = settings.RetryPeriod,
        });
        CancellationTokenSource? term = null;
        var terms = new List<Task>();
        elector.OnStartedLeading += () =>
        {
            StartedLeading(logger, settings.Identity);
            term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var controller = controllers();
            _current = controller;
            terms.Add(controller.RunAsync(term.Token));
        };
        elector.OnStoppedLeading += () =>
        {
            StoppedLeading(logger, settings.Identity);
            _current = null;
            term?.Cancel();
        };
        elector.OnError += e => ElectionError(logger, e.Message);
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        finally
        {
            term?.Cancel();
            await Task.WhenAll(terms);
            term?.Dispose();
        }
    }

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "{Identity} is the leader")]
    private static partial void StartedLeading(ILogger logger, string identity);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "{Identity} stopped leading")]
    private static partial void StoppedLeading(ILogger logger, string identity);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Debug, Message = "leader election: {Error}")]
    private static partial void ElectionError(ILogger logger, string error);
}
