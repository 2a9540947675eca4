using System.Diagnostics.Metrics;

namespace Postroom.Imap;

/// <summary>OpenTelemetry instruments of the IMAP engine (meter <c>Postroom.Imap</c>).</summary>
public static class ImapMetrics
{
    public const string MeterName = "Postroom.Imap";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Connections = Meter.CreateCounter<long>("postroom.imap.connections", description: "IMAP connections accepted");

    private static readonly Counter<long> Commands = Meter.CreateCounter<long>("postroom.imap.commands", description: "IMAP commands by name and result");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("postroom.imap.command.duration", unit: "ms", description: "Time to answer a command");

    internal static void RecordCommand(string command, string result, double elapsedMs)
    {
        var tags = new KeyValuePair<string, object?>[] { new("command", command), new("result", result) };
        Commands.Add(1, tags);
        Duration.Record(elapsedMs, tags);
    }
}
