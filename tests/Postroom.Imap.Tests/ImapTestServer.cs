using System.Buffers;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Postroom.Config;
using Postroom.Config.Compilation;
using Postroom.Config.Loading;
using Postroom.Imap.Session;
using Postroom.Mailbox;
using Postroom.Mailbox.Redis;
using Postroom.Storage;
using Postroom.Testing;

namespace Postroom.Imap.Tests;

/// <summary>
/// Real IMAP sessions over in-memory pipes against a real <see cref="RedisMailboxStore"/> (Garnet) and a
/// <see cref="FileSystemBlobStore"/> in a temp directory. Transcripts: <c>C: line</c> is sent with CRLF,
/// <c>C&gt; text</c> as is (escapes \r \n \0), <c>S: pattern</c> must match the next line (<c>*</c> matches
/// anything), <c>TLS</c> starts client TLS, <c>CLOSED</c> expects the server to hang up.
/// </summary>
internal sealed class ImapTestServer : IDisposable
{
    /// <summary>Argon2id of "jane-password".</summary>
    public const string JaneHash = "$argon2id$v=19$m=32768,t=2,p=1$TmNMU0c4ME5qRTg4U1dT$qTIjFRMaXfIFG6yKgvwg4oEHUa/TgymLzZZa+Aa5aM4";

    public const string Jane = "jane@example.com";

    private const string ConfigYaml = $$"""
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: example }
        spec:
          domain: example.com
          users:
            - { name: postmaster, password: "{{JaneHash}}" }
            - { name: jane, password: "{{JaneHash}}", quota: 10Mi }
        """;

    private readonly string _blobRoot = Path.Combine(Path.GetTempPath(), "postroom-imap-tests-" + Guid.NewGuid().ToString("N"));

    public ImapTestServer(IRedisFixture redis, ImapOptions? options = null)
    {
        Options = options ?? new ImapOptions { HostName = "imap.test", AllowInsecureAuth = true };
        var loaded = MailDomainYamlLoader.Load("test.yaml", ConfigYaml);
        var compiled = ConfigCompiler.Compile(loaded.MailDomains, loaded.Secrets);
        Assert.True(compiled.Succeeded, string.Join("\n", compiled.Errors));
        Config = new StaticConfigSnapshotSource(compiled.Snapshot);
        Blobs = new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = _blobRoot });
        var storeOptions = new RedisMailboxStoreOptions { KeyPrefix = "imaptest:" + Guid.NewGuid().ToString("N") };
        Store = new RedisMailboxStore(redis.Connection, Blobs, storeOptions);

        // A second replica: its own store object on the same server and keys.
        OtherReplica = new RedisMailboxStore(redis.Connection, Blobs, new RedisMailboxStoreOptions { KeyPrefix = storeOptions.KeyPrefix });
    }

    public ImapOptions Options { get; }

    public StaticConfigSnapshotSource Config { get; }

    public FileSystemBlobStore Blobs { get; }

    public RedisMailboxStore Store { get; }

    public RedisMailboxStore OtherReplica { get; }

    public static string Message(string subject, string body = "Hello Jane.\r\n", string from = "Alice <alice@example.org>") =>
        $"From: {from}\r\nTo: Jane <{Jane}>\r\nSubject: {subject}\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <{Guid.NewGuid():N}@example.org>\r\n\r\n{body}";

    /// <summary>Appends a message through <paramref name="store"/> (default: this server's), as delivery would.</summary>
    public async Task<AppendResult> DeliverAsync(string text, string mailbox = "INBOX", string[]? flags = null, IMailboxStore? store = null, string prefix = "")
    {
        var key = "messages/" + Guid.NewGuid().ToString("N");
        var info = await Blobs.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None);
        return await (store ?? Store).AppendAsync(
            new AppendRequest(Jane, mailbox, key, info.Length, Encoding.ASCII.GetBytes(prefix), flags ?? [], new DateTimeOffset(2025, 6, 2, 10, 0, 5, TimeSpan.Zero), null),
            CancellationToken.None);
    }

    public TestSession Connect(ImapOptions? options = null, CancellationToken shutdown = default)
    {
        var connection = new InMemoryConnection();
        var services = new ImapServices(Config, Store, Blobs, TimeProvider.System, NullLogger.Instance);
        var session = new ImapSession(options ?? Options, services, connection.Server, new ImapSessionInfo { SessionId = "test", RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000) });
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

    /// <summary>A session past the greeting and logged in.</summary>
    public async Task<TestSession> LoginAsync()
    {
        var session = Connect();
        await session.PlayAsync("""
            S: * OK [CAPABILITY *] imap.test IMAP4rev1 ready
            C: L1 LOGIN jane@example.com jane-password
            S: L1 OK [CAPABILITY *] Logged in
            """);
        return session;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_blobRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

internal sealed class TestSession(InMemoryConnection connection, ImapSession session, Task run)
{
    public ImapSession Session { get; } = session;

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

            if (line.StartsWith("C: ", StringComparison.Ordinal))
            {
                await SendAsync(Unescape(line[3..]) + "\r\n");
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

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>; returns all lines read.</summary>
    public async Task<List<string>> ReadUntilAsync(string prefix)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            Assert.True(line is not null, $"closed before '{prefix}'; got: {string.Join(" | ", lines)}");
            lines.Add(line);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return lines;
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> octets (a literal's content).</summary>
    public async Task<string> ReadBytesAsync(int count)
    {
        var input = Connection.ClientInput;
        while (true)
        {
            var result = await input.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (result.Buffer.Length >= count)
            {
                var text = Encoding.UTF8.GetString(result.Buffer.Slice(0, count));
                input.AdvanceTo(result.Buffer.GetPosition(count));
                return text;
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            Assert.False(result.IsCompleted, "closed inside a literal");
        }
    }

    /// <summary>Reads one line; null when the server closed the connection.</summary>
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
            .Replace("\\0", "\0", StringComparison.Ordinal);
}
