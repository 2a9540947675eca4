using System.Globalization;
using Postroom.Config.Model;

namespace Postroom.Operator.Reconciliation;

/// <summary>The DNS records a hosted domain needs, as zone-file names and values, ready to copy.</summary>
public static class DnsRecords
{
    /// <summary>SPF (RFC 7208): only the domain's MX hosts send for it.</summary>
    public const string Spf = "v=spf1 mx -all";

    /// <summary>DMARC (RFC 7489): failing mail goes to spam.</summary>
    public const string Dmarc = "v=DMARC1; p=quarantine";

    /// <summary>RFC 6186 service records: client configuration by SRV lookup.</summary>
    private static readonly (string Service, int Port)[] Services =
    [
        ("_submission._tcp", 587),
        ("_imap._tcp", 143),
        ("_imaps._tcp", 993),
        ("_pop3._tcp", 110),
        ("_pop3s._tcp", 995),
    ];

    /// <summary>MX, SPF and DMARC for the domain and each alias domain; SRV records for the domain users log in to.</summary>
    public static List<DnsRecordStatus> For(string domain, IEnumerable<string> aliasDomains, string mailHost)
    {
        var host = Absolute(mailHost);
        var records = new List<DnsRecordStatus>();
        foreach (var name in aliasDomains.Prepend(domain))
        {
            var zone = Absolute(name);
            records.Add(Record(zone, "MX", $"10 {host}"));
            records.Add(Record(zone, "TXT", Spf));
            records.Add(Record("_dmarc." + zone, "TXT", Dmarc));
        }

        foreach (var (service, port) in Services)
        {
            records.Add(Record($"{service}.{Absolute(domain)}", "SRV", string.Create(CultureInfo.InvariantCulture, $"0 1 {port} {host}")));
        }

        return records;
    }

    private static string Absolute(string name) => name.EndsWith('.') ? name : name + ".";

    private static DnsRecordStatus Record(string name, string type, string value) => new() { Name = name, Type = type, Value = value };
}
