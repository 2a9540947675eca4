using System.Net;
using System.Net.Sockets;

namespace Postroom.Smtp;

/// <summary>A CIDR network; IPv4-mapped IPv6 addresses match their IPv4 networks.</summary>
public sealed record IpNetwork(IPAddress Prefix, int PrefixLength)
{
    private readonly System.Net.IPNetwork _network = new(Prefix, PrefixLength);

    /// <summary>Parses <c>10.0.0.0/8</c>, <c>::1/128</c> or a single address.</summary>
    public static IpNetwork Parse(string text)
    {
        var network = text.Contains('/', StringComparison.Ordinal)
            ? System.Net.IPNetwork.Parse(text)
            : new System.Net.IPNetwork(IPAddress.Parse(text), IPAddress.Parse(text).AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return new IpNetwork(network.BaseAddress, network.PrefixLength);
    }

    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 && Prefix.AddressFamily == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == Prefix.AddressFamily && _network.Contains(address);
    }

    public static bool AnyContains(IReadOnlyList<IpNetwork> networks, IPAddress? address) =>
        address is not null && networks.Any(n => n.Contains(address));

    public override string ToString() => $"{Prefix}/{PrefixLength}";
}
