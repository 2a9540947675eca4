using k8s.Models;
using Postroom.Config.Model;
using Postroom.Operator.Kubernetes;
using Postroom.Operator.Reconciliation;

namespace Postroom.Operator.Hosting;

/// <summary>
/// One leadership term: watches MailDomains and Secrets, and runs a debounced reconcile whenever something
/// changed, on failure (with back-off and jitter), and on a periodic resync.
/// </summary>
public sealed partial class OperatorController(ClusterClient cluster, MailDomainReconciler reconciler, OperatorSettings settings, ILoggerFactory loggers) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);
    private readonly ILogger _logger = loggers.CreateLogger<OperatorController>();
    private readonly List<ResourceWatcher<MailDomain>> _domainWatchers = [];
    private readonly List<ResourceWatcher<V1Secret>> _secretWatchers = [];

    /// <summary>How many times any MailDomain watcher listed (a 410 relists).</summary>
    public int DomainLists => _domainWatchers.Sum(w => w.Lists);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var scopes = settings.Namespaces.Count == 0 ? [null] : settings.Namespaces.Select(n => (string?)n).ToList();
        foreach (var ns in scopes)
        {
            _domainWatchers.Add(new ResourceWatcher<MailDomain>(cluster.MailDomains(ns), Signal, loggers.CreateLogger<ResourceWatcher<MailDomain>>()));
            _secretWatchers.Add(new ResourceWatcher<V1Secret>(cluster.Secrets(ns), Signal, loggers.CreateLogger<ResourceWatcher<V1Secret>>()));
        }

        var watches = _domainWatchers.Select(w => w.RunAsync(cancellationToken))
            .Concat(_secretWatchers.Select(w => w.RunAsync(cancellationToken)))
            .ToList();
        try
        {
            // Never compile from a partial view: a domain missing from the cache would vanish from the snapshot.
            await Task.WhenAll(_domainWatchers.Select(w => w.Synced).Concat(_secretWatchers.Select(w => w.Synced))).WaitAsync(cancellationToken);
            await ReconcileLoopAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leadership lost or shutdown.
        }
        finally
        {
            await Task.WhenAll(watches);
        }
    }

    public void Dispose() => _signal.Dispose();

    private void Signal() => _signal.Release();

    private async Task ReconcileLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(60));
        var wait = settings.ResyncInterval;
        while (true)
        {
            await _signal.WaitAsync(wait, cancellationToken);
            await Task.Delay(settings.Debounce, cancellationToken);
            while (_signal.CurrentCount > 0)
            {
                await _signal.WaitAsync(cancellationToken);
            }

            var domains = _domainWatchers.SelectMany(w => w.Items).ToList();
            var secrets = new SecretCacheSource(_secretWatchers.SelectMany(w => w.Items));
            ReconcileResult result;
            try
            {
                result = await reconciler.ReconcileAsync(domains, secrets, Observe, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = ReconcileResult.Retry(e.Message);
            }

            if (result.Success)
            {
                backoff.Reset();
                wait = settings.ResyncInterval;
            }
            else
            {
                wait = backoff.Next();
                ReconcileFailed(_logger, result.Error, wait);
            }
        }
    }

    private void Observe(MailDomain domain)
    {
        var key = ObjectKey.Of(domain);
        foreach (var watcher in _domainWatchers.Where(w => w.TryGet(key, out _)))
        {
            watcher.Observe(domain);
        }
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "reconcile failed: {Error}; retrying in {Delay}")]
    private static partial void ReconcileFailed(ILogger logger, string? error, TimeSpan delay);
}
