namespace Postroom.Queue.Tests;

// The contract suites, each against a real server (see ServerFixtures.cs).

public sealed class RedisMailQueueTests(RedisBackendFixture backend) : MailQueueContract(backend), IClassFixture<RedisBackendFixture>
{
    protected override int PartitionCount => 1;
}

public sealed class RedisPartitionedMailQueueTests(RedisBackendFixture backend) : MailQueueContract(backend), IClassFixture<RedisBackendFixture>
{
    protected override int PartitionCount => 4;
}

public sealed class GarnetMailQueueTests(GarnetBackendFixture backend) : MailQueueContract(backend), IClassFixture<GarnetBackendFixture>
{
    protected override int PartitionCount => 3;
}

public sealed class RedisConsumerCrashTests(RedisBackendFixture backend) : ConsumerCrashContract(backend), IClassFixture<RedisBackendFixture>
{
    protected override int PartitionCount => 1;
}

public sealed class GarnetConsumerCrashTests(GarnetBackendFixture backend) : ConsumerCrashContract(backend), IClassFixture<GarnetBackendFixture>
{
    protected override int PartitionCount => 2;
}
