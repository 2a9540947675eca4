using System.Buffers;
using System.IO.Pipelines;
using System.Net;

namespace Postroom.ProxyProtocol.Tests;

public sealed class ProxyProtocolReaderTests
{
    private static readonly IPNetwork[] LoadBalancers = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8:1b::/48")];
    private static readonly IPEndPoint LoadBalancer = new(IPAddress.Parse("10.1.2.3"), 40001);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly byte[] V1Header = Bytes.Ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n");

    private static async Task<Pipe> PipeWithAsync(byte[] data, bool complete = false)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(data);
        if (complete)
        {
            await pipe.Writer.CompleteAsync();
        }

        return pipe;
    }

    /// <summary>Reads what is buffered; fails if nothing is readable without new data (i.e. it was marked examined).</summary>
    private static async Task<byte[]> ReadBufferedAsync(PipeReader reader)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        ReadResult result = await reader.ReadAsync(cts.Token);
        byte[] bytes = result.Buffer.ToArray();
        reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("11.0.0.1")]
    [InlineData("::ffff:203.0.113.9")]
    [InlineData("2001:db8:2::1")]
    [InlineData("::1")]
    public async Task An_untrusted_peer_is_refused_without_reading(string peer)
    {
        Pipe pipe = await PipeWithAsync(V1Header);

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, new IPEndPoint(IPAddress.Parse(peer), 1234), LoadBalancers, Timeout, CancellationToken.None);

        Assert.False(result.IsAccepted);
        Assert.Equal("peer not a trusted load balancer", result.RefusalReason);
        Assert.Null(result.ClientEndPoint);
        Assert.Equal(V1Header, await ReadBufferedAsync(pipe.Reader));
    }

    [Fact]
    public async Task An_unknown_peer_is_refused()
    {
        Pipe pipe = await PipeWithAsync(V1Header);

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, null, LoadBalancers, Timeout, CancellationToken.None);

        Assert.False(result.IsAccepted);
        Assert.Equal(ProxyProtocolReader.UntrustedPeerReason, result.RefusalReason);
    }

    [Fact]
    public async Task No_trusted_networks_refuses_everyone()
    {
        Pipe pipe = await PipeWithAsync(V1Header);

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, [], Timeout, CancellationToken.None);

        Assert.False(result.IsAccepted);
    }

    [Fact]
    public async Task A_trusted_v1_header_gives_its_source_and_leaves_the_following_bytes_readable()
    {
        byte[] following = Bytes.Ascii("EHLO client.example\r\n");
        Pipe pipe = await PipeWithAsync(Bytes.Concat(V1Header, following));

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, Timeout, CancellationToken.None);

        Assert.True(result.IsAccepted, result.RefusalReason);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 56324), result.ClientEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.2"), 25), result.Header.DestinationEndPoint);
        Assert.Equal(following, await ReadBufferedAsync(pipe.Reader));
    }

    [Fact]
    public async Task A_trusted_v2_header_followed_by_a_tls_client_hello_leaves_the_hello_readable()
    {
        var source = new IPEndPoint(IPAddress.Parse("2001:db8::77"), 51000);
        byte[] header = Bytes.V2(0x21, 0x21, Bytes.AddressBlock(source, new IPEndPoint(IPAddress.Parse("2001:db8::1"), 465)));
        byte[] clientHello = [0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x03];
        Pipe pipe = await PipeWithAsync(Bytes.Concat(header, clientHello));

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, Timeout, CancellationToken.None);

        Assert.True(result.IsAccepted, result.RefusalReason);
        Assert.Equal(source, result.ClientEndPoint);
        Assert.Equal(2, result.Header.Version);
        Assert.Equal(clientHello, await ReadBufferedAsync(pipe.Reader));
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n", ProxyCommand.Unknown)]
    [InlineData("LOCAL", ProxyCommand.Local)]
    [InlineData("UNSPEC", ProxyCommand.Unknown)]
    public async Task Local_and_unknown_headers_keep_the_real_peer(string kind, ProxyCommand command)
    {
        byte[] header = kind switch
        {
            "LOCAL" => Bytes.V2(0x20, 0x00, []),
            "UNSPEC" => Bytes.V2(0x21, 0x00, []),
            _ => Bytes.Ascii(kind),
        };
        Pipe pipe = await PipeWithAsync(Bytes.Concat(header, Bytes.Ascii("x")));

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, Timeout, CancellationToken.None);

        Assert.True(result.IsAccepted, result.RefusalReason);
        Assert.Equal(LoadBalancer, result.ClientEndPoint);
        Assert.Equal(command, result.Header.Command);
        Assert.Equal(Bytes.Ascii("x"), await ReadBufferedAsync(pipe.Reader));
    }

    [Theory]
    [InlineData("EHLO x\r\n")]
    [InlineData("PROXY TCP4 999.1.1.1 198.51.100.2 56324 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\n")]
    public async Task A_trusted_peer_sending_garbage_is_refused(string data)
    {
        Pipe pipe = await PipeWithAsync(Bytes.Ascii(data));

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, Timeout, CancellationToken.None);

        Assert.False(result.IsAccepted);
        Assert.StartsWith("invalid PROXY protocol header: ", result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_is_refused_immediately_even_though_the_writer_stays_open()
    {
        Pipe pipe = await PipeWithAsync(Bytes.Ascii("EH"));

        ValueTask<ProxyProtocolResult> read = ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, TimeSpan.FromMinutes(5), CancellationToken.None);
        Task<ProxyProtocolResult> task = read.AsTask();

        Assert.Same(task, await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.False((await task).IsAccepted);
    }

    [Fact]
    public async Task A_silent_peer_is_refused_at_the_timeout()
    {
        var pipe = new Pipe();

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, TimeSpan.FromMilliseconds(100), CancellationToken.None);

        Assert.False(result.IsAccepted);
        Assert.Contains("timed out", result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_that_stops_halfway_is_refused_at_the_timeout()
    {
        Pipe pipe = await PipeWithAsync(V1Header[..20]);

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, TimeSpan.FromMilliseconds(100), CancellationToken.None);

        Assert.False(result.IsAccepted);
        Assert.Contains("timed out", result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_cut_short_by_the_peer_closing_is_refused()
    {
        Pipe pipe = await PipeWithAsync(V1Header[..^1], complete: true);

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, Timeout, CancellationToken.None);

        Assert.False(result.IsAccepted);
        Assert.Contains("closed", result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_arriving_in_pieces_is_assembled()
    {
        var pipe = new Pipe();
        byte[] data = Bytes.Concat(V1Header, Bytes.Ascii("QUIT\r\n"));
        Task<ProxyProtocolResult> read = ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, Timeout, CancellationToken.None).AsTask();

        foreach (byte[] piece in new[] { data[..1], data[1..7], data[7..30], data[30..] })
        {
            Assert.False(read.IsCompleted);
            await pipe.Writer.WriteAsync(piece);
            await Task.Delay(10);
        }

        ProxyProtocolResult result = await read;
        Assert.True(result.IsAccepted, result.RefusalReason);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 56324), result.ClientEndPoint);
        Assert.Equal(Bytes.Ascii("QUIT\r\n"), await ReadBufferedAsync(pipe.Reader));
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown_not_reported_as_a_timeout()
    {
        var pipe = new Pipe();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, Timeout, cts.Token));
    }

    [Fact]
    public async Task A_canceled_pending_read_is_refused()
    {
        var pipe = new Pipe();
        Task<ProxyProtocolResult> read = ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, Timeout, CancellationToken.None).AsTask();

        pipe.Reader.CancelPendingRead();
        ProxyProtocolResult result = await read;

        Assert.False(result.IsAccepted);
        Assert.Contains("canceled", result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ipv4_mapped_peer_matches_an_ipv4_network()
    {
        Pipe pipe = await PipeWithAsync(V1Header);
        var mappedPeer = new IPEndPoint(IPAddress.Parse("::ffff:10.9.8.7"), 5555);

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, mappedPeer, LoadBalancers, Timeout, CancellationToken.None);

        Assert.True(result.IsAccepted, result.RefusalReason);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 56324), result.ClientEndPoint);
    }

    [Fact]
    public async Task An_oversized_v2_length_is_refused_without_waiting_for_the_body()
    {
        Pipe pipe = await PipeWithAsync(Bytes.V2(0x21, 0x11, [], lengthField: 0xFFFF));

        ProxyProtocolResult result = await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.False(result.IsAccepted);
        Assert.StartsWith("invalid PROXY protocol header: ", result.RefusalReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("9.255.255.255", false)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:11.0.0.1", false)]
    [InlineData("2001:db8:1b::5", true)]
    [InlineData("2001:db8:1c::5", false)]
    [InlineData("::ffff:a00:1", true)]
    public void Trusted_peer_matching(string address, bool trusted)
    {
        Assert.Equal(trusted, ProxyProtocolReader.IsTrustedPeer(IPAddress.Parse(address), LoadBalancers));
    }

    [Fact]
    public void A_mapped_network_also_matches_a_mapped_peer()
    {
        IPNetwork[] mapped = [IPNetwork.Parse("::ffff:192.0.2.0/120")];

        Assert.True(ProxyProtocolReader.IsTrustedPeer(IPAddress.Parse("::ffff:192.0.2.1"), mapped));
        Assert.False(ProxyProtocolReader.IsTrustedPeer(IPAddress.Parse("::ffff:192.0.3.1"), mapped));
        Assert.False(ProxyProtocolReader.IsTrustedPeer(IPAddress.Parse("2001:db8::1"), mapped));
    }

    [Fact]
    public async Task A_non_positive_timeout_is_rejected()
    {
        var pipe = new Pipe();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await ProxyProtocolReader.ReadAsync(pipe.Reader, LoadBalancer, LoadBalancers, TimeSpan.Zero, CancellationToken.None));
    }
}
