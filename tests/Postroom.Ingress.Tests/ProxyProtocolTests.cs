using System.Net;

namespace Postroom.Ingress.Tests;

/// <summary>The PROXY protocol listener: only the load balancer may speak it, and policies see the real client.</summary>
public sealed class ProxyProtocolTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task A_client_in_a_relay_network_behind_the_load_balancer_may_relay()
    {
        await using var client = await RawSmtpClient.ConnectAsync(fixture.Host.ProxiedPort);
        await client.SendAsync("PROXY TCP4 10.1.2.3 127.0.0.1 40000 25\r\n");

        Assert.StartsWith("220 ", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("HELO office.example"), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<clerk@office.example>"), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.5", await client.CommandAsync("RCPT TO:<partner@elsewhere.example>"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outside_client_behind_the_load_balancer_may_not_relay()
    {
        await using var client = await RawSmtpClient.ConnectAsync(fixture.Host.ProxiedPort);
        await client.SendAsync("PROXY TCP4 192.0.2.1 127.0.0.1 40000 25\r\n");

        Assert.StartsWith("220 ", await client.ReadReplyAsync(), StringComparison.Ordinal);
        await client.CommandAsync("HELO outside.example");
        await client.CommandAsync("MAIL FROM:<spammer@outside.example>");
        Assert.StartsWith("554 5.7.1", await client.CommandAsync("RCPT TO:<victim@elsewhere.example>"), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.5", await client.CommandAsync("RCPT TO:<jane@example.com>"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_header_from_an_untrusted_peer_is_refused()
    {
        // 127.0.0.2 is loopback but not the trusted load balancer (127.0.0.1/32).
        Assert.True(await IsRefusedAsync(IPAddress.Parse("127.0.0.2"), "PROXY TCP4 10.1.2.3 127.0.0.1 40000 25\r\n"));
    }

    [Fact]
    public async Task A_connection_without_a_header_is_refused_on_a_proxy_listener()
    {
        Assert.True(await IsRefusedAsync(null, "EHLO sneaky.example\r\n"));
    }

    /// <summary>
    /// True when the server closes the connection without a greeting. It may refuse so fast that the reset
    /// arrives while connecting or sending: that is the refusal too.
    /// </summary>
    private async Task<bool> IsRefusedAsync(IPAddress? from, string text)
    {
        try
        {
            await using var client = await RawSmtpClient.ConnectAsync(fixture.Host.ProxiedPort, from);
            await client.SendAsync(text);
            return await client.IsClosedByServerAsync();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return true;
        }
    }
}
