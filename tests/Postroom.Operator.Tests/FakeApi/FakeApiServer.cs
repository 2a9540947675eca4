using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Postroom.Testing;

namespace Postroom.Operator.Tests.FakeApi;

/// <summary>
/// An in-process Kubernetes API server for what the operator uses, speaking the real HTTP protocol on
/// 127.0.0.1: list (with the list's resourceVersion), watch (newline-delimited JSON events streamed and
/// flushed, resumable from a resourceVersion, BOOKMARKs, and an in-stream 410 Gone ERROR event for a version
/// older than the retained history), get, create, merge-patch and replace on objects and on <c>/status</c>,
/// delete with finalizers (deletionTimestamp first, removal when the finalizers are gone), and 409 on a
/// stale resourceVersion. MailDomains have a status subresource and a generation that moves with the spec.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    /// <summary>Header a test client adds so the server can tell who wrote what.</summary>
    public const string IdentityHeader = "X-Test-Identity";

    private static readonly Dictionary<string, (string ApiVersion, string Kind)> Kinds = new(StringComparer.Ordinal)
    {
        ["maildomains"] = ("postroom.io/v1alpha1", "MailDomain"),
        ["secrets"] = ("v1", "Secret"),
        ["events"] = ("v1", "Event"),
        ["leases"] = ("coordination.k8s.io/v1", "Lease"),
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Plural, string Ns, string Name), JsonObject> _objects = [];
    private readonly List<(long Rv, string Plural, string Ns, string Type, JsonObject Object)> _history = [];
    private readonly List<Watch> _watches = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly WebApplication _app;
    private long _resourceVersion = 100;
    private long _oldestWatchable;
    private DateTime _lastCreation = DateTime.MinValue;

    private FakeApiServer(WebApplication app, int port)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    /// <summary>
    /// Awaited before every write (POST, PUT, PATCH, DELETE) is applied; lets a test hold a request in flight.
    /// Returning false drops the connection without applying the write, as a crash of the client would.
    /// </summary>
    public Func<RecordedRequest, Task<bool>>? BeforeWrite { get; set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>How many watch requests were answered with 410 Gone.</summary>
    public int GoneAnswers { get; private set; }

    public static async Task<FakeApiServer> StartAsync()
    {
        var port = FreePort.Get();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeApiServer(app, port);
        app.Run(async context =>
        {
            try
            {
                await server.HandleAsync(context);
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                await WriteStatusAsync(context, HttpStatusCode.InternalServerError, "InternalError", e.ToString());
            }
        });
        await app.StartAsync();
        return server;
    }

    /// <summary>Forgets the event history: every watch is closed and resuming from any version seen so far gets 410 Gone.</summary>
    public void ExpireHistory()
    {
        lock (_gate)
        {
            _oldestWatchable = _resourceVersion + 1;
            _history.Clear();
        }

        EndWatches();
    }

    /// <summary>Ends every open watch stream, as an API server does on its timeout; clients resume from their last version.</summary>
    public void EndWatches()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Events.Writer.TryComplete();
            }
        }
    }

    public JsonObject? Get(string plural, string ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue((plural, ns, name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    public List<JsonObject> List(string plural, string? ns = null)
    {
        lock (_gate)
        {
            return _objects.Where(p => p.Key.Plural == plural && (ns is null || p.Key.Ns == ns)).Select(p => (JsonObject)p.Value.DeepClone()).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        EndWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = request.Path.Value!.Trim('/').Split('/');
        int at;
        if (segments is ["api", _, ..])
        {
            at = 2;
        }
        else if (segments is ["apis", _, _, ..])
        {
            at = 3;
        }
        else
        {
            await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", "no such path");
            return;
        }

        string? ns = null;
        if (segments.Length > at + 2 && segments[at] == "namespaces")
        {
            ns = segments[at + 1];
            at += 2;
        }

        var plural = segments.ElementAtOrDefault(at) ?? "";
        var name = segments.ElementAtOrDefault(at + 1);
        var subresource = segments.ElementAtOrDefault(at + 2);
        if (!Kinds.ContainsKey(plural))
        {
            await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", $"the server could not find the requested resource ({plural})");
            return;
        }

        var body = "";
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync();
        }

        var recorded = new RecordedRequest(request.Method, request.Path + request.QueryString, request.Headers[IdentityHeader].ToString(), body);
        if (request.Method != "GET")
        {
            lock (_gate)
            {
                _requests.Add(recorded);
            }

            if (BeforeWrite is { } hook && !await hook(recorded))
            {
                context.Abort();
                return;
            }
        }

        switch (request.Method)
        {
            case "GET" when name is null && request.Query["watch"] is ["true" or "1"]:
                await WatchAsync(context, plural, ns);
                return;
            case "GET" when name is null:
                await WriteJsonAsync(context, HttpStatusCode.OK, ListObjects(plural, ns));
                return;
            case "GET":
                await RespondAsync(context, () => (HttpStatusCode.OK, Find(plural, ns, name)));
                return;
            case "POST" when name is null && ns is not null:
                await RespondAsync(context, () => Create(plural, ns, JsonNode.Parse(body)!.AsObject()));
                return;
            case "PATCH" when name is not null && ns is not null:
                await RespondAsync(context, () => Update(plural, ns, name, subresource == "status", JsonNode.Parse(body)!.AsObject(), merge: true));
                return;
            case "PUT" when name is not null && ns is not null:
                await RespondAsync(context, () => Update(plural, ns, name, subresource == "status", JsonNode.Parse(body)!.AsObject(), merge: false));
                return;
            case "DELETE" when name is not null && ns is not null:
                await RespondAsync(context, () => Delete(plural, ns, name));
                return;
            default:
                await WriteStatusAsync(context, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "not supported by the fake API server");
                return;
        }
    }

    private JsonObject ListObjects(string plural, string? ns)
    {
        lock (_gate)
        {
            var (apiVersion, kind) = Kinds[plural];
            var items = new JsonArray(_objects.Where(p => p.Key.Plural == plural && (ns is null || p.Key.Ns == ns)).Select(p => (JsonNode)p.Value.DeepClone()).ToArray());
            return new JsonObject
            {
                ["apiVersion"] = apiVersion,
                ["kind"] = kind + "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(_resourceVersion) },
                ["items"] = items,
            };
        }
    }

    private JsonObject Find(string plural, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue((plural, ns ?? "", name), out var found)
                ? (JsonObject)found.DeepClone()
                : throw new ApiError(HttpStatusCode.NotFound, "NotFound", $"{plural} \"{name}\" not found");
        }
    }

    private (HttpStatusCode, JsonObject) Create(string plural, string ns, JsonObject obj)
    {
        lock (_gate)
        {
            var (apiVersion, kind) = Kinds[plural];
            var metadata = obj["metadata"] as JsonObject ?? throw new ApiError(HttpStatusCode.BadRequest, "BadRequest", "metadata is required");
            var name = (string?)metadata["name"] ?? throw new ApiError(HttpStatusCode.BadRequest, "BadRequest", "metadata.name is required");
            if (_objects.ContainsKey((plural, ns, name)))
            {
                throw new ApiError(HttpStatusCode.Conflict, "AlreadyExists", $"{plural} \"{name}\" already exists");
            }

            // Creation timestamps have second precision; the fake spaces them a second apart so "older" is always visible.
            var created = DateTime.UtcNow;
            created = new DateTime(created.Ticks - (created.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            _lastCreation = created = created > _lastCreation ? created : _lastCreation.AddSeconds(1);
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            metadata["namespace"] = ns;
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = created.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            metadata.Remove("deletionTimestamp");
            if (plural == "maildomains")
            {
                metadata["generation"] = 1L;
                obj.Remove("status");
            }

            if (plural == "secrets")
            {
                FoldStringData(obj);
            }

            Store(plural, ns, name, obj, "ADDED");
            return (HttpStatusCode.Created, (JsonObject)obj.DeepClone());
        }
    }

    private (HttpStatusCode, JsonObject) Update(string plural, string ns, string name, bool status, JsonObject change, bool merge)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue((plural, ns, name), out var current))
            {
                throw new ApiError(HttpStatusCode.NotFound, "NotFound", $"{plural} \"{name}\" not found");
            }

            var expected = (string?)change["metadata"]?["resourceVersion"];
            if (expected is not null && expected != (string?)current["metadata"]!["resourceVersion"])
            {
                throw new ApiError(HttpStatusCode.Conflict, "Conflict", $"Operation cannot be fulfilled on {plural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            var next = merge ? (JsonObject)MergePatch(current.DeepClone(), change)! : (JsonObject)change.DeepClone();
            var nextMeta = next["metadata"] as JsonObject ?? [];
            var oldMeta = current["metadata"]!.AsObject();

            // Fields the server owns.
            foreach (var field in new[] { "uid", "creationTimestamp", "namespace", "name", "deletionTimestamp", "generation" })
            {
                if (oldMeta[field] is { } value)
                {
                    nextMeta[field] = value.DeepClone();
                }
                else
                {
                    nextMeta.Remove(field);
                }
            }

            next["metadata"] = nextMeta;
            next["apiVersion"] = current["apiVersion"]!.DeepClone();
            next["kind"] = current["kind"]!.DeepClone();
            if (plural == "maildomains")
            {
                // The status subresource: the object endpoint ignores status, /status changes only status.
                if (status)
                {
                    var newStatus = next["status"]?.DeepClone();
                    next = (JsonObject)current.DeepClone();
                    next["status"] = newStatus;
                }
                else
                {
                    next["status"] = current["status"]?.DeepClone();
                    if (!JsonNode.DeepEquals(next["spec"], current["spec"]))
                    {
                        nextMeta["generation"] = ((long?)oldMeta["generation"] ?? 0) + 1;
                    }
                }
            }

            if (plural == "secrets")
            {
                FoldStringData(next);
            }

            next["metadata"]!["resourceVersion"] = oldMeta["resourceVersion"]!.DeepClone();
            if (JsonNode.DeepEquals(next, current))
            {
                return (HttpStatusCode.OK, (JsonObject)current.DeepClone());
            }

            if (nextMeta["deletionTimestamp"] is not null && (nextMeta["finalizers"] as JsonArray ?? []).Count == 0)
            {
                Remove(plural, ns, name, next);
                return (HttpStatusCode.OK, (JsonObject)next.DeepClone());
            }

            Store(plural, ns, name, next, "MODIFIED");
            return (HttpStatusCode.OK, (JsonObject)next.DeepClone());
        }
    }

    private (HttpStatusCode, JsonObject) Delete(string plural, string ns, string name)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue((plural, ns, name), out var current))
            {
                throw new ApiError(HttpStatusCode.NotFound, "NotFound", $"{plural} \"{name}\" not found");
            }

            if ((current["metadata"]!["finalizers"] as JsonArray ?? []).Count == 0)
            {
                Remove(plural, ns, name, (JsonObject)current.DeepClone());
                return (HttpStatusCode.OK, (JsonObject)current.DeepClone());
            }

            if (current["metadata"]!["deletionTimestamp"] is null)
            {
                var next = (JsonObject)current.DeepClone();
                next["metadata"]!["deletionTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                Store(plural, ns, name, next, "MODIFIED");
                return (HttpStatusCode.OK, (JsonObject)next.DeepClone());
            }

            return (HttpStatusCode.OK, (JsonObject)current.DeepClone());
        }
    }

    private void Store(string plural, string ns, string name, JsonObject obj, string type)
    {
        var rv = ++_resourceVersion;
        obj["metadata"]!["resourceVersion"] = Rv(rv);
        _objects[(plural, ns, name)] = obj;
        Publish(rv, plural, ns, type, obj);
    }

    private void Remove(string plural, string ns, string name, JsonObject last)
    {
        var rv = ++_resourceVersion;
        last["metadata"]!["resourceVersion"] = Rv(rv);
        _objects.Remove((plural, ns, name));
        Publish(rv, plural, ns, "DELETED", last);
    }

    private void Publish(long rv, string plural, string ns, string type, JsonObject obj)
    {
        var snapshot = (JsonObject)obj.DeepClone();
        _history.Add((rv, plural, ns, type, snapshot));
        foreach (var watch in _watches.Where(w => w.Plural == plural && (w.Ns is null || w.Ns == ns)))
        {
            watch.Events.Writer.TryWrite(Line(type, snapshot));
        }
    }

    private async Task WatchAsync(HttpContext context, string plural, string? ns)
    {
        var query = context.Request.Query;
        var from = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var bookmarks = query["allowWatchBookmarks"] is ["true"];
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(5);
        var watch = new Watch(plural, ns);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        lock (_gate)
        {
            if (from != 0 && from < _oldestWatchable)
            {
                // What a real API server does: 200, then one ERROR event carrying a 410 Status, then the end.
                GoneAnswers++;
                var status = StatusObject(HttpStatusCode.Gone, "Expired", $"too old resource version: {from} ({_oldestWatchable})");
                watch.Events.Writer.TryWrite(Line("ERROR", status));
                watch.Events.Writer.TryComplete();
            }
            else
            {
                foreach (var past in _history.Where(h => h.Rv > from && h.Plural == plural && (ns is null || h.Ns == ns)))
                {
                    watch.Events.Writer.TryWrite(Line(past.Type, past.Object));
                }

                _watches.Add(watch);
            }
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        cts.CancelAfter(timeout);
        try
        {
            await context.Response.Body.FlushAsync(cts.Token);
            while (true)
            {
                var wait = watch.Events.Reader.WaitToReadAsync(cts.Token).AsTask();
                var tick = Task.Delay(TimeSpan.FromMilliseconds(500), cts.Token);
                if (await Task.WhenAny(wait, tick) == tick)
                {
                    await tick;
                    if (bookmarks)
                    {
                        await WriteLineAsync(context, Line("BOOKMARK", Bookmark(plural)), cts.Token);
                    }

                    continue;
                }

                if (!await wait)
                {
                    return;
                }

                while (watch.Events.Reader.TryRead(out var line))
                {
                    await WriteLineAsync(context, line, cts.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Client went away or the watch timed out.
        }
        finally
        {
            lock (_gate)
            {
                _watches.Remove(watch);
            }
        }
    }

    private JsonObject Bookmark(string plural)
    {
        lock (_gate)
        {
            var (apiVersion, kind) = Kinds[plural];
            return new JsonObject
            {
                ["apiVersion"] = apiVersion,
                ["kind"] = kind,
                ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(_resourceVersion) },
            };
        }
    }

    private static async Task WriteLineAsync(HttpContext context, string line, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static string Line(string type, JsonObject obj) => new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();

    private static string Rv(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 7386 JSON merge patch.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = MergePatch(result[key]?.DeepClone(), value);
                result[key] = merged;
            }
        }

        return result;
    }

    /// <summary>The API server turns <c>stringData</c> into base64 <c>data</c>.</summary>
    private static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is JsonObject stringData)
        {
            var data = secret["data"] as JsonObject ?? [];
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? ""));
            }

            secret["data"] = data;
            secret.Remove("stringData");
        }
    }

    private static JsonObject StatusObject(HttpStatusCode code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = (int)code,
    };

    private static async Task RespondAsync(HttpContext context, Func<(HttpStatusCode, JsonObject)> action)
    {
        HttpStatusCode code;
        JsonObject result;
        try
        {
            (code, result) = action();
        }
        catch (ApiError e)
        {
            await WriteStatusAsync(context, e.Code, e.Reason, e.Message);
            return;
        }

        await WriteJsonAsync(context, code, result);
    }

    private static Task WriteStatusAsync(HttpContext context, HttpStatusCode code, string reason, string message) =>
        WriteJsonAsync(context, code, StatusObject(code, reason, message));

    private static async Task WriteJsonAsync(HttpContext context, HttpStatusCode code, JsonObject body)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private sealed class Watch(string plural, string? ns)
    {
        public string Plural { get; } = plural;

        public string? Ns { get; } = ns;

        public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();
    }

    private sealed class ApiError(HttpStatusCode code, string reason, string message) : Exception(message)
    {
        public HttpStatusCode Code { get; } = code;

        public string Reason { get; } = reason;
    }
}

/// <summary>A write the fake API server received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Identity, string Body);
