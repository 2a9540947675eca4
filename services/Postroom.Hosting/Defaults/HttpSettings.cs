using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Postroom.Hosting.Defaults;

/// <summary>The HTTP endpoint for health, readiness and metrics (configuration section <c>Http</c>).</summary>
public sealed class HttpSettings
{
    public string Address { get; set; } = "0.0.0.0";

    public int Port { get; set; } = 8080;
}

public static class HttpListenExtensions
{
    /// <summary>Protocol listeners are configured in code, which makes Kestrel ignore URL settings; so HTTP is too.</summary>
    public static void ListenHttp(this KestrelServerOptions kestrel, HttpSettings settings) =>
        kestrel.Listen(IPAddress.Parse(settings.Address), settings.Port, o => o.Protocols = HttpProtocols.Http1AndHttp2);
}
