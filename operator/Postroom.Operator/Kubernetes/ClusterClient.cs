using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Postroom.Config.Model;

namespace Postroom.Operator.Kubernetes;

/// <summary>The Kubernetes calls the operator makes, on KubernetesClient's CustomObjects and CoreV1 APIs.</summary>
public sealed class ClusterClient(IKubernetes client)
{
    private const string Group = MailDomain.KubeGroup;
    private const string Version = MailDomain.KubeVersion;
    private const string Plural = MailDomain.KubePlural;

    /// <summary>Watches time out on the server side after this long; the watcher resumes from its resourceVersion.</summary>
    private const int WatchTimeoutSeconds = 300;

    public IKubernetes Api => client;

    /// <summary>MailDomains in one namespace, or all when <paramref name="ns"/> is null.</summary>
    public WatchSource<MailDomain> MailDomains(string? ns) => new(
        ns is null ? "maildomains in all namespaces" : $"maildomains in {ns}",
        async ct =>
        {
            using var response = ns is null
                ? await client.CustomObjects.ListCustomObjectForAllNamespacesWithHttpMessagesAsync<ResourceList<MailDomain>>(Group, Version, Plural, cancellationToken: ct)
                : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<ResourceList<MailDomain>>(Group, Version, ns, Plural, cancellationToken: ct);
            return (response.Body.Items, response.Body.Metadata.ResourceVersion);
        },
        (resourceVersion, onError, ct) => Typed<MailDomain>(ns is null
            ? client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(Group, Version, Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, Version, ns, Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct), ct));

    /// <summary>Secrets in one namespace, or all when <paramref name="ns"/> is null.</summary>
    public WatchSource<V1Secret> Secrets(string? ns) => new(
        ns is null ? "secrets in all namespaces" : $"secrets in {ns}",
        async ct =>
        {
            var list = ns is null
                ? await client.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: ct)
                : await client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: ct);
            return (list.Items.ToList(), list.Metadata.ResourceVersion);
        },
        (resourceVersion, onError, ct) => ns is null
            ? client.CoreV1.WatchListSecretForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedSecretAsync(ns, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>Custom-object watches yield untyped JSON; this gives it the model's type.</summary>
    private static async IAsyncEnumerable<(WatchEventType Type, T Object)> Typed<T>(IAsyncEnumerable<(WatchEventType, object)> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, item) in source.WithCancellation(cancellationToken))
        {
            var json = item is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(item);
            yield return (type, KubernetesJson.Deserialize<T>(json));
        }
    }

    public async Task<MailDomain?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<MailDomain>(Group, Version, ns, Plural, name, cancellationToken: cancellationToken);
            return response.Body;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Merge-patches the status subresource, guarded by the resourceVersion the status was computed from (409 when stale).</summary>
    public async Task<MailDomain> PatchStatusAsync(MailDomain resource, MailDomainStatus status, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = resource.Metadata.ResourceVersion },
            ["status"] = JsonNode.Parse(KubernetesJson.Serialize(status)),
        };
        using var response = await client.CustomObjects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync<MailDomain>(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, Version, resource.Metadata.NamespaceProperty, Plural, resource.Metadata.Name, cancellationToken: cancellationToken);
        return response.Body;
    }

    /// <summary>Replaces the finalizer list (merge patch replaces lists whole), guarded by resourceVersion.</summary>
    public async Task<MailDomain> SetFinalizersAsync(MailDomain resource, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = resource.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
            },
        };
        using var response = await client.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<MailDomain>(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, Version, resource.Metadata.NamespaceProperty, Plural, resource.Metadata.Name, cancellationToken: cancellationToken);
        return response.Body;
    }

    /// <summary>
    /// Records an Event. The name is derived from what it says, so an operator restarted half-way through
    /// a reconcile creates the same name again and gets 409 instead of a duplicate.
    /// </summary>
    public async Task<bool> RecordEventAsync(MailDomain resource, string type, string reason, string message, string component, CancellationToken cancellationToken)
    {
        var identity = $"{resource.Metadata.Uid}|{resource.Metadata.Generation}|{type}|{reason}|{message}";
        var name = $"{resource.Metadata.Name}.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 8))}";
        var now = DateTime.UtcNow;
        var evt = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = resource.Metadata.NamespaceProperty },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = MailDomain.KubeApiVersion,
                Kind = MailDomain.KubeKind,
                Name = resource.Metadata.Name,
                NamespaceProperty = resource.Metadata.NamespaceProperty,
                Uid = resource.Metadata.Uid,
                ResourceVersion = resource.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(evt, resource.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public static bool IsConflict(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict };

    public static bool IsNotFound(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };
}
