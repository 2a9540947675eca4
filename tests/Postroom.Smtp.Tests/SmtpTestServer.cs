using System.Buffers;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Postroom.Config;
using Postroom.Config.Compilation;
using Postroom.Config.Loading;
using Postroom.Smtp.Policy;
using Postroom.Smtp.Session;
using Postroom.Testing;

namespace Postroom.Smtp.Tests;

/// <summary>
/// Runs real SMTP sessions over in-memory pipes and checks them against transcripts:
/// <c>C: line</c> is sent with CRLF, <c>C&gt; text</c> is sent as is (escapes \r \n \0 \t \\),
/// <c>S: pattern</c> must match the next reply line (<c>*</c> matches anything), <c>TLS</c> starts the
/// client side of STARTTLS, and <c>CLOSED</c> expects the server to hang up.
/// </summary>
internal sealed class SmtpTestServer
{
    /// <summary>The nine lines of the plain EHLO reply, for transcripts that do not look at the extensions.</summary>
    public const string EhloReply = "S: 250-*\nS: 250-*\nS: 250-*\nS: 250-*\nS: 250-*\nS: 250-*\nS: 250-*\nS: 250-*\nS: 250 *";

    /// <summary>Argon2id of "jane-password".</summary>
    public const string JaneHash = "$argon2id$v=19$m=32768,t=2,p=1$TmNMU0c4ME5qRTg4U1dT$qTIjFRMaXfIFG6yKgvwg4oEHUa/TgymLzZZa+Aa5aM4";

    public const string DefaultConfig = $$"""
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: example }
        spec:
          domain: example.com
          aliasDomains: [example.net]
          users:
            - { name: postmaster, password: "{{JaneHash}}" }
            - { name: jane, password: "{{JaneHash}}" }
            - { name: john, password: "{{JaneHash}}" }
            - { name: gone, password: "{{JaneHash}}", enabled: false }
          aliases:
            - { address: sales, targets: [jane, john] }
        ---
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: small }
        spec:
          domain: small.example
          users: [{ name: postmaster, password: "{{JaneHash}}" }]
          catchAll: { action: discard }
          limits: { maxMessageSize: 1Ki }
        """;

    public SmtpTestServer(SmtpOptions? options = null, string config = DefaultConfig)
    {
        Options = options ?? new SmtpOptions { HostName = "mx.test", IdleTimeout = TimeSpan.FromSeconds(30) };
        var loaded = MailDomainYamlLoader.Load("test.yaml", config);
        var compiled = ConfigCompiler.Compile(loaded.MailDomains, loaded.Secrets);
        Assert.True(compiled.Succeeded, string.Join("\n", compiled.Errors));
        Config = new StaticConfigSnapshotSource(compiled.Snapshot);
    }

    public SmtpOptions Options { get; }

    public InMemoryCommitter Committer { get; } = new();

    public InMemoryRateLimiter RateLimiter { get; } = new();

    public StaticConfigSnapshotSource Config { get; }

    public SmtpServices Services => new(Config, Committer, RateLimiter, DefaultSmtpPolicies.Create(), TimeProvider.System, NullLogger.Instance);

    /// <summary>Starts a session for a client at <paramref name="client"/> (default 192.0.2.10, an untrusted address).</summary>
    public TestSession Connect(IPAddress? client = null, SmtpOptions? options = null, CancellationToken shutdown = default)
    {
        var connection = new InMemoryConnection();
        var info = new SessionInfo { SessionId = "test", RemoteEndPoint = new IPEndPoint(client ?? IPAddress.Parse("192.0.2.10"), 40000) };
        var session = new SmtpSession(options ?? Options, Services, connection.Server, info);
        var run = Task.Run(async () =>
        {
            try
            {
                await session.RunAsync(shutdown, CancellationToken.None);
            }
            finally
            {
                await connection.Server.Output.CompleteAsync();
            }
        }, CancellationToken.None);
        return new TestSession(connection, session, run);
    }

    public async Task<TestSession> RunAsync(string transcript, IPAddress? client = null)
    {
        var session = Connect(client);
        await session.PlayAsync(transcript);
        return session;
    }
}

internal sealed class TestSession(InMemoryConnection connection, SmtpSession session, Task run)
{
    public SmtpSession Session { get; } = session;

    public Task Run { get; } = run;

    public InMemoryConnection Connection { get; } = connection;

    public async Task PlayAsync(string transcript)
    {
        foreach (var raw in transcript.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("C: ", StringComparison.Ordinal) || line == "C:")
            {
                await SendAsync(Unescape(line[Math.Min(3, line.Length)..]) + "\r\n");
            }
            else if (line.StartsWith("C> ", StringComparison.Ordinal))
            {
                await SendAsync(Unescape(line[3..]));
            }
            else if (line.StartsWith("S: ", StringComparison.Ordinal))
            {
                var reply = await ReadLineAsync();
                Assert.True(reply is not null, $"expected '{line[3..]}', but the server closed the connection");
                Assert.Matches("^" + Regex.Escape(line[3..]).Replace("\\*", ".*", StringComparison.Ordinal) + "$", reply);
            }
            else if (line == "TLS")
            {
                await Connection.ServerTlsStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
                await Connection.StartClientTlsAsync();
            }
            else if (line == "CLOSED")
            {
                var extra = await ReadLineAsync();
                Assert.True(extra is null, $"expected the server to close, got '{extra}'");
                await Run.WaitAsync(TimeSpan.FromSeconds(10));
            }
            else
            {
                throw new InvalidOperationException($"bad transcript line: {line}");
            }
        }
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await Connection.ClientOutput.WriteAsync(bytes);
        await Connection.ClientOutput.FlushAsync();
    }

    /// <summary>Reads one reply line; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var input = Connection.ClientInput;
        while (true)
        {
            var result = await input.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            var buffer = result.Buffer;
            var position = buffer.PositionOf((byte)'\n');
            if (position is { } end)
            {
                var line = Encoding.UTF8.GetString(buffer.Slice(0, end)).TrimEnd('\r');
                input.AdvanceTo(buffer.GetPosition(1, end));
                return line;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    private static string Unescape(string text) =>
        text.Replace("\\r", "\r", StringComparison.Ordinal)
            .Replace("\\n", "\n", StringComparison.Ordinal)
            .Replace("\\0", "\0", StringComparison.Ordinal)
            .Replace("\\t", "\t", StringComparison.Ordinal);
}
