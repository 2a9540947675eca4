using System.Buffers;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Postroom.Config;
using Postroom.Config.Compilation;
using Postroom.Config.Loading;
using Postroom.Mailbox;
using Postroom.Mailbox.Redis;
using Postroom.Pop3.Session;
using Postroom.Storage;
using Postroom.Testing;

namespace Postroom.Pop3.Tests;

/// <summary>
/// Runs real POP3 sessions over in-memory pipes against a real <see cref="RedisMailboxStore"/> (on Garnet,
/// under a key prefix of its own) and a <see cref="FileSystemBlobStore"/> in a temp directory, and checks
/// them against transcripts: <c>C: line</c> is sent with CRLF, <c>C&gt; text</c> is sent as is (escapes
/// \r \n \0 \t), <c>S: pattern</c> must match the next response line (<c>*</c> matches anything),
/// <c>TLS</c> starts the client side of STLS, and <c>CLOSED</c> expects the server to hang up.
/// </summary>
internal sealed class Pop3TestServer : IDisposable
{
    /// <summary>Argon2id of "jane-password".</summary>
    public const string JaneHash = "$argon2id$v=19$m=32768,t=2,p=1$TmNMU0c4ME5qRTg4U1dT$qTIjFRMaXfIFG6yKgvwg4oEHUa/TgymLzZZa+Aa5aM4";

    public const string Jane = "jane@example.com";

    public const string Password = "jane-password";

    public const string Config = $$"""
        apiVersion: postroom.io/v1alpha1
        kind: MailDomain
        metadata: { name: example }
        spec:
          domain: example.com
          users:
            - { name: postmaster, password: "{{JaneHash}}" }
            - { name: jane, password: "{{JaneHash}}" }
            - { name: john, password: "{{JaneHash}}" }
            - { name: gone, password: "{{JaneHash}}", enabled: false }
            - { name: imaponly, password: "{{JaneHash}}", protocols: [imap] }
        """;

    private readonly string _blobRoot = Path.Combine(Path.GetTempPath(), "postroom-pop3-tests-" + Guid.NewGuid().ToString("N"));

    public Pop3TestServer(IRedisFixture redis, Pop3Options? options = null)
    {
        Options = options ?? new Pop3Options { HostName = "pop.test", AllowInsecureAuth = true, IdleTimeout = TimeSpan.FromSeconds(30) };
        var loaded = MailDomainYamlLoader.Load("test.yaml", Config);
        var compiled = ConfigCompiler.Compile(loaded.MailDomains, loaded.Secrets);
        Assert.True(compiled.Succeeded, string.Join("\n", compiled.Errors));
        ConfigSource = new StaticConfigSnapshotSource(compiled.Snapshot);
        Blobs = new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = _blobRoot });
        Store = new RedisMailboxStore(redis.Connection, Blobs, new RedisMailboxStoreOptions { KeyPrefix = "pop3test:" + Guid.NewGuid().ToString("N") });
    }

    public Pop3Options Options { get; }

    public StaticConfigSnapshotSource ConfigSource { get; }

    public FileSystemBlobStore Blobs { get; }

    public RedisMailboxStore Store { get; }

    public InMemoryRateLimiter RateLimiter { get; } = new();

    public InProcessMaildropLocks Locks { get; } = new();

    public Pop3Services Services => new(ConfigSource, Store, Blobs, RateLimiter, Locks, TimeProvider.System, NullLogger.Instance);

    /// <summary>Stores a body and appends it to the user's INBOX.</summary>
    public async Task<(AppendResult Result, string BlobKey)> SeedAsync(string content, string prefix = "", string user = Jane, string[]? flags = null)
    {
        var key = "messages/" + Guid.NewGuid().ToString("N");
        var info = await Blobs.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None);
        var result = await Store.AppendAsync(new AppendRequest(user, "", key, info.Length, Encoding.UTF8.GetBytes(prefix), flags ?? [], DateTimeOffset.UtcNow, null), CancellationToken.None);
        return (result, key);
    }

    /// <summary>A short message: <c>Subject: {subject}</c>, blank line, one body line.</summary>
    public static string Message(string subject, string body = "Hello.\r\n") =>
        $"From: alice@example.org\r\nTo: {Jane}\r\nSubject: {subject}\r\n\r\n{body}";

    public async Task<List<MailboxMessage>> InboxAsync(string user = Jane) =>
        await Store.ListMessagesAsync(user, "INBOX", UidSet.All, false, CancellationToken.None).ToListAsync();

    /// <summary>Starts a session for a client at 192.0.2.10.</summary>
    public TestSession Connect(Pop3Options? options = null, IPAddress? client = null, CancellationToken shutdown = default)
    {
        var connection = new InMemoryConnection();
        var info = new Pop3SessionInfo { SessionId = "test", RemoteEndPoint = new IPEndPoint(client ?? IPAddress.Parse("192.0.2.10"), 40000) };
        var session = new Pop3Session(options ?? Options, Services, connection.Server, info);
        var run = Task.Run(async () =>
        {
            try
            {
                await session.RunAsync(shutdown, CancellationToken.None);
            }
            finally
            {
                await connection.Server.CloseAsync();
            }
        }, CancellationToken.None);
        return new TestSession(connection, session, run);
    }

    public async Task<TestSession> RunAsync(string transcript, Pop3Options? options = null)
    {
        var session = Connect(options);
        await session.PlayAsync(transcript);
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

internal sealed class TestSession(InMemoryConnection connection, Pop3Session session, Task run)
{
    public Pop3Session Session { get; } = session;

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
            else if (line.StartsWith("S: ", StringComparison.Ordinal) || line == "S:")
            {
                var expected = line[Math.Min(3, line.Length)..];
                var reply = await ReadLineAsync();
                Assert.True(reply is not null, $"expected '{expected}', but the server closed the connection");
                Assert.Matches("^" + Regex.Escape(expected).Replace("\\*", ".*", StringComparison.Ordinal) + "$", reply);
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

    /// <summary>Reads one response line (without CRLF); null when the server closed the connection.</summary>
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

    /// <summary>Reads the lines of a multi-line response up to its "." line, undoing dot-stuffing.</summary>
    public async Task<string> ReadMultilineAsync()
    {
        var builder = new StringBuilder();
        while (await ReadLineAsync() is { } line)
        {
            if (line == ".")
            {
                return builder.ToString();
            }

            builder.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }

        throw new InvalidOperationException("the server closed inside a multi-line response");
    }

    private static string Unescape(string text) =>
        text.Replace("\\r", "\r", StringComparison.Ordinal)
            .Replace("\\n", "\n", StringComparison.Ordinal)
            .Replace("\\0", "\0", StringComparison.Ordinal)
            .Replace("\\t", "\t", StringComparison.Ordinal);
}
