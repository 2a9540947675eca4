using Postroom.Testing;

namespace Postroom.Queue.Tests;

// The contract suites, each against a real server (fixtures in tests/Postroom.Testing).

public sealed class RedisMailQueueTests(RedisFixture backend) : MailQueueContract(backend), IClassFixture<RedisFixture>
{
    protected override int PartitionCount => 1;
}

public sealed class RedisPartitionedMailQueueTests(RedisFixture backend) : MailQueueContract(backend), IClassFixture<RedisFixture>
{
    protected override int PartitionCount => 4;
}

public sealed class GarnetMailQueueTests(GarnetFixture backend) : MailQueueContract(backend), IClassFixture<GarnetFixture>
{
    protected override int PartitionCount => 3;
}

public sealed class RedisConsumerCrashTests(RedisFixture backend) : ConsumerCrashContract(backend), IClassFixture<RedisFixture>
{
    protected override int PartitionCount => 1;
}

public sealed class GarnetConsumerCrashTests(GarnetFixture backend) : ConsumerCrashContract(backend), IClassFixture<GarnetFixture>
{
    protected override int PartitionCount => 2;
}
