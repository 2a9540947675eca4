namespace Postroom.Operator;

/// <summary>The configuration section <c>Operator</c>.</summary>
public sealed class OperatorSettings
{
    /// <summary>Namespaces to watch; empty means all.</summary>
    public List<string> Namespaces { get; set; } = [];

    /// <summary>The host name clients and MX records point at (MX and SRV targets). Default <c>mail.&lt;domain&gt;</c>.</summary>
    public string? MailHost { get; set; }

    /// <summary>This replica's name in the Lease; the pod name in a cluster.</summary>
    public string Identity { get; set; } = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;

    public string LeaseNamespace { get; set; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default";

    public string LeaseName { get; set; } = "postroom-operator";

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Changes arriving within this window are reconciled together.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A full reconcile runs at least this often, changes or not.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The Events' reporting component.</summary>
    public string Component { get; set; } = "postroom-operator";

    public string MailHostFor(string domain) => MailHost ?? "mail." + domain;
}
