using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Postroom.Operator.Kubernetes;

/// <summary>The cache key of a namespaced object: "namespace/name".</summary>
public static class ObjectKey
{
    public static string Of(IMetadata<V1ObjectMeta> item) => $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";
}

/// <summary>How to list and watch one kind of object in one scope (all namespaces or one).</summary>
/// <param name="Description">For logs, e.g. "maildomains in all namespaces".</param>
/// <param name="ListAsync">Lists everything; returns the items and the list's resourceVersion.</param>
/// <param name="Watch">Watches from a resourceVersion; reports errors (including in-stream ERROR events) to the callback.</param>
public sealed record WatchSource<T>(
    string Description,
    Func<CancellationToken, Task<(IReadOnlyList<T> Items, string ResourceVersion)>> ListAsync,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> Watch);

/// <summary>
/// List-then-watch with a local cache (an informer): lists once, then watches from the list's
/// <c>resourceVersion</c>; when the stream ends it resumes from the last version seen (bookmarks included);
/// a 410 Gone relists; other failures back off with jitter. Every change calls <c>changed</c>.
/// </summary>
public sealed partial class ResourceWatcher<T>(WatchSource<T> source, Action changed, ILogger logger)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes after the first successful list.</summary>
    public Task Synced => _synced.Task;

    /// <summary>How many times the watcher listed (the first list included).</summary>
    public int Lists { get; private set; }

    public IReadOnlyCollection<T> Items => _items.Values.ToList();

    public bool TryGet(string key, out T? item) => _items.TryGetValue(key, out item);

    /// <summary>Records an object the operator wrote, unless the cache already holds a newer version.</summary>
    public void Observe(T item)
    {
        _items.AddOrUpdate(ObjectKey.Of(item), item, (_, old) => IsNewer(item, old) ? item : old);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var (items, version) = await source.ListAsync(cancellationToken);
                    Replace(items);
                    resourceVersion = version;
                    Lists++;
                    Listed(logger, source.Description, items.Count, version);
                    _synced.TrySetResult();
                    changed();
                }

                var gone = false;
                var failed = false;
                await foreach (var (type, item) in source.Watch(resourceVersion, e =>
                {
                    if (IsGone(e))
                    {
                        gone = true;
                    }
                    else
                    {
                        failed = true;
                        WatchError(logger, source.Description, e.Message);
                    }
                }, cancellationToken))
                {
                    resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
                    if (Apply(type, item))
                    {
                        changed();
                    }

                    backoff.Reset();
                }

                if (gone)
                {
                    Gone(logger, source.Description, resourceVersion);
                    resourceVersion = null;
                }
                else if (failed)
                {
                    await Task.Delay(backoff.Next(), cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsGone(e))
            {
                Gone(logger, source.Description, resourceVersion);
                resourceVersion = null;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or KubernetesException or System.Text.Json.JsonException)
            {
                var delay = backoff.Next();
                WatchFailed(logger, source.Description, e.Message, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private static bool IsGone(Exception e) => e switch
    {
        KubernetesException k => k.Status?.Code == (int)HttpStatusCode.Gone,
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };

    private static bool IsNewer(T candidate, T current)
    {
        var a = candidate.Metadata?.ResourceVersion;
        var b = current.Metadata?.ResourceVersion;

        // resourceVersions are opaque; etcd's are integers, and only then can they be ordered.
        return !long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var x)
            || !long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || x >= y;
    }

    private void Replace(IReadOnlyList<T> items)
    {
        var keys = items.Select(i => ObjectKey.Of(i)).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _items.Keys.Where(k => !keys.Contains(k)))
        {
            _items.TryRemove(key, out _);
        }

        foreach (var item in items)
        {
            _items[ObjectKey.Of(item)] = item;
        }
    }

    private bool Apply(WatchEventType type, T item)
    {
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                Observe(item);
                return true;
            case WatchEventType.Deleted:
                return _items.TryRemove(ObjectKey.Of(item), out _);
            default:
                // Bookmarks only move the resourceVersion.
                return false;
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "listed {Description}: {Count} objects at resourceVersion {ResourceVersion}")]
    private static partial void Listed(ILogger logger, string description, int count, string resourceVersion);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "watch of {Description} expired at resourceVersion {ResourceVersion} (410 Gone); relisting")]
    private static partial void Gone(ILogger logger, string description, string? resourceVersion);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "watch of {Description} failed: {Error}; retrying in {Delay}")]
    private static partial void WatchFailed(ILogger logger, string description, string error, TimeSpan delay);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "watch of {Description} reported an error: {Error}")]
    private static partial void WatchError(ILogger logger, string description, string error);
}
