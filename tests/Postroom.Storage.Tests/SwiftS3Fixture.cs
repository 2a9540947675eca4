using Postroom.Testing;

namespace Postroom.Storage.Tests;

/// <summary>One Swift S3 server for a whole test class (it takes several seconds to start).</summary>
public sealed class SwiftS3Fixture : IAsyncLifetime
{
    private SwiftS3Server? _server;

    public SwiftS3Server Server => _server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _server = await SwiftS3Server.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public S3BlobStoreOptions Options(string bucket) => new()
    {
        Endpoint = Server.Endpoint,
        AccessKey = Server.AccessKey,
        SecretKey = Server.SecretKey,
        Region = Server.Region,
        Bucket = bucket,
        UseTls = false,
    };
}
