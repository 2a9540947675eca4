using Postroom.EmbeddedRedis;

namespace Postroom.Queue.Tests;

public sealed class EmbeddedGarnetServerTests
{
    [Fact]
    public void Default_arguments_make_acknowledged_writes_durable_and_lua_atomic()
    {
        var args = EmbeddedGarnetServer.BuildArguments(new EmbeddedGarnetOptions { DataDirectory = "/data/garnet" }, 6380);

        Assert.Contains("--lua", args);
        Assert.Contains("--lua-transaction-mode", args);
        Assert.Contains("--aof", args);
        Assert.Contains("--aof-commit-wait", args);
        Assert.Contains("--recover", args);
        Assert.Contains("--fail-on-recovery-error", args);
        Assert.Contains("--storage-tier", args);
        Assert.Equal("0", After(args, "--aof-commit-freq"));
        Assert.Equal("FileStream", After(args, "--device-type"));
        Assert.Equal("6380", After(args, "--port"));
        Assert.Equal("127.0.0.1", After(args, "--bind"));
        Assert.Equal("/data/garnet/checkpoints", After(args, "--checkpointdir"));
        Assert.Equal("/data/garnet/log", After(args, "--logdir"));
        Assert.Equal("300", After(args, "--checkpoint-freq"));
    }

    [Fact]
    public void Weaker_settings_are_opt_in()
    {
        var args = EmbeddedGarnetServer.BuildArguments(
            new EmbeddedGarnetOptions { DataDirectory = "/d", CommitMode = GarnetCommitMode.Background, Device = GarnetFileDevice.DirectFile, CheckpointInterval = TimeSpan.Zero },
            1);

        Assert.DoesNotContain("--aof-commit-wait", args);
        Assert.DoesNotContain("--checkpoint-freq", args);
        Assert.Equal("100", After(args, "--aof-commit-freq"));
        Assert.Equal("RandomAccess", After(args, "--device-type"));
    }

    [Fact]
    public async Task Checkpoint_writes_a_checkpoint_to_the_data_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "postroom-garnet-cp-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var server = await EmbeddedGarnetServer.StartAsync(new EmbeddedGarnetOptions { DataDirectory = directory, MemorySize = "64m", CheckpointOnDispose = false }))
            {
                Assert.True(server.Port > 0);
                Assert.Equal($"127.0.0.1:{server.Port}", server.EndPoint);
                Assert.False(HasCheckpoint(directory));
                await server.CheckpointAsync();
                Assert.True(HasCheckpoint(directory));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool HasCheckpoint(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Any(f => f.Contains("cpr-checkpoints", StringComparison.Ordinal));

    private static string After(string[] args, string option) => args[Array.IndexOf(args, option) + 1];
}
