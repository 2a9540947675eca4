using System.Diagnostics.Metrics;

namespace Postroom.Pop3;

/// <summary>OpenTelemetry instruments of the POP3 engine (meter <c>Postroom.Pop3</c>).</summary>
public static class Pop3Metrics
{
    public const string MeterName = "Postroom.Pop3";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Connections = Meter.CreateCounter<long>("postroom.pop3.connections", description: "POP3 connections accepted");

    private static readonly Counter<long> Logins = Meter.CreateCounter<long>("postroom.pop3.logins", description: "POP3 login attempts by result");

    internal static readonly Counter<long> Retrieved = Meter.CreateCounter<long>("postroom.pop3.messages.retrieved", description: "Messages sent with RETR");

    internal static readonly Counter<long> Deleted = Meter.CreateCounter<long>("postroom.pop3.messages.deleted", description: "Messages removed at QUIT");

    internal static readonly Counter<long> Bytes = Meter.CreateCounter<long>("postroom.pop3.bytes", unit: "By", description: "Message bytes sent by RETR and TOP");

    internal static void RecordLogin(string result) => Logins.Add(1, new KeyValuePair<string, object?>("result", result));
}
