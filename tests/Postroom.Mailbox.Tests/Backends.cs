using Postroom.Testing;

namespace Postroom.Mailbox.Tests;

// The mailbox store contract against each real server.

public sealed class RedisMailboxStoreTests(RedisFixture server) : MailboxStoreContract(server), IClassFixture<RedisFixture>;

public sealed class GarnetMailboxStoreTests(GarnetFixture server) : MailboxStoreContract(server), IClassFixture<GarnetFixture>;
