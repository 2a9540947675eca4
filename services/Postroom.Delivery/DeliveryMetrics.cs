using System.Diagnostics.Metrics;

namespace Postroom.Delivery;

/// <summary>OpenTelemetry instruments of the delivery worker (meter <c>Postroom.Delivery</c>).</summary>
public static class DeliveryMetrics
{
    public const string MeterName = "Postroom.Delivery";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("postroom.delivery.deliveries", description: "Delivery attempts by target and result");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("postroom.delivery.attempt.duration", unit: "ms", description: "Time of one delivery attempt to one target");

    internal static void Record(string kind, string result, double durationMs)
    {
        var tags = new KeyValuePair<string, object?>[] { new("target", kind), new("result", result) };
        Deliveries.Add(1, tags);
        Duration.Record(durationMs, tags);
    }
}
