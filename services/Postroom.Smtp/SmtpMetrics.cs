using System.Diagnostics.Metrics;

namespace Postroom.Smtp;

/// <summary>OpenTelemetry instruments of the SMTP engine (meter <c>Postroom.Smtp</c>).</summary>
public static class SmtpMetrics
{
    public const string MeterName = "Postroom.Smtp";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Connections = Meter.CreateCounter<long>("postroom.smtp.connections", description: "SMTP connections accepted");

    private static readonly Counter<long> Transactions = Meter.CreateCounter<long>("postroom.smtp.transactions", description: "SMTP transactions by result");

    private static readonly Counter<long> Bytes = Meter.CreateCounter<long>("postroom.smtp.bytes", unit: "By", description: "Message bytes accepted");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("postroom.smtp.transaction.duration", unit: "ms", description: "Time from end of RCPT to the final reply");

    internal static void RecordTransaction(string result, long size, long elapsedMs, SmtpListenerRole role)
    {
        var tags = new KeyValuePair<string, object?>[] { new("result", result), new("role", role.ToString().ToLowerInvariant()) };
        Transactions.Add(1, tags);
        if (result == "accepted")
        {
            Bytes.Add(size, tags);
        }

        Duration.Record(elapsedMs, tags);
    }
}
