using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Postroom.Mailbox.V1;
using Postroom.Testing;

namespace Postroom.MailboxApi.Tests;

/// <summary>The gRPC API end to end: a real channel to Kestrel, a real store on Garnet.</summary>
public sealed class MailboxGrpcServiceTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>, IAsyncLifetime
{
    private const string Jane = "jane@example.com";

    private MailboxApiHost _host = null!;

    private MailboxService.MailboxServiceClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await MailboxApiHost.StartAsync(garnet);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<AppendRequest> RequestAsync(string user = Jane, string mailbox = "", string? key = null, int size = 100, params string[] flags)
    {
        var body = await _host.PutBodyAsync(size: size);
        var request = new AppendRequest
        {
            User = user,
            Mailbox = mailbox,
            BlobKey = body.Key,
            BlobSize = body.Size,
            HeaderPrefix = ByteString.CopyFromUtf8("Delivered-To: " + user + "\r\n"),
            InternalDate = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            IdempotencyKey = key ?? "",
        };
        request.Flags.AddRange(flags);
        return request;
    }

    [Fact]
    public async Task Append_then_duplicate_append_returns_the_first_uid()
    {
        var request = await RequestAsync(key: "Q1/0", flags: ["\\Seen", "$Work"]);
        var first = await Client.AppendAsync(request);
        Assert.False(first.Duplicate);
        Assert.Equal(1u, first.Uid);
        Assert.NotEqual(0u, first.UidValidity);

        var again = await Client.AppendAsync(request);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Uid, again.Uid);
        Assert.Equal(first.UidValidity, again.UidValidity);

        var second = await Client.AppendAsync(await RequestAsync(key: "Q1/1"));
        Assert.Equal(2u, second.Uid);

        var messages = await _host.Store.ListMessagesAsync(Jane, "INBOX", Mailbox.UidSet.All, true, CancellationToken.None).ToListAsync();
        Assert.Equal(2, messages.Count);
        Assert.Equal(["\\Seen", "$Work"], messages[0].Flags);
        Assert.Equal("Delivered-To: jane@example.com\r\n", System.Text.Encoding.ASCII.GetString(messages[0].Details!.HeaderPrefix.Span));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), messages[0].Details!.InternalDate);
    }

    [Fact]
    public async Task Append_without_idempotency_key_appends_twice()
    {
        var request = await RequestAsync();
        Assert.Equal(1u, (await Client.AppendAsync(request)).Uid);
        Assert.Equal(2u, (await Client.AppendAsync(request)).Uid);
    }

    [Fact]
    public async Task Append_to_a_special_use_mailbox_creates_it()
    {
        var response = await Client.AppendAsync(await RequestAsync(mailbox: "Junk"));
        Assert.Equal(1u, response.Uid);
        var list = await Client.ListMailboxesAsync(new ListMailboxesRequest { User = Jane });
        Assert.Contains(list.Mailboxes, m => m.Name == "Junk" && m.SpecialUse == "Junk" && m.Messages == 1);
    }

    [Fact]
    public async Task Quota_exhaustion_is_resource_exhausted()
    {
        // Jane's quota is 2 KiB: the first 1.5 KB message fits, the second does not.
        await Client.AppendAsync(await RequestAsync(size: 1500));
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.AppendAsync(await RequestAsync(size: 1500)));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);

        // John has no quota.
        await Client.AppendAsync(await RequestAsync(user: "john@example.com", size: 1500));
        await Client.AppendAsync(await RequestAsync(user: "john@example.com", size: 1500));
    }

    [Fact]
    public async Task Unknown_user_is_not_found_everywhere()
    {
        var append = await Assert.ThrowsAsync<RpcException>(async () => await Client.AppendAsync(await RequestAsync(user: "nobody@example.com")));
        Assert.Equal(StatusCode.NotFound, append.StatusCode);
        var hosted = await Assert.ThrowsAsync<RpcException>(async () => await Client.AppendAsync(await RequestAsync(user: "jane@unhosted.example")));
        Assert.Equal(StatusCode.NotFound, hosted.StatusCode);
        var list = await Assert.ThrowsAsync<RpcException>(async () => await Client.ListMailboxesAsync(new ListMailboxesRequest { User = "nobody@example.com" }));
        Assert.Equal(StatusCode.NotFound, list.StatusCode);
        var usage = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetUsageAsync(new GetUsageRequest { User = "" }));
        Assert.Equal(StatusCode.NotFound, usage.StatusCode);
    }

    [Theory]
    [InlineData("a//b", null)]
    [InlineData("../x", null)]
    [InlineData("bad%name", null)]
    [InlineData("", "\\Bogus")]
    [InlineData("", "has space")]
    public async Task Bad_mailbox_names_and_flags_are_invalid_argument(string mailbox, string? flag)
    {
        var request = await RequestAsync(mailbox: mailbox, flags: flag is null ? [] : [flag]);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.AppendAsync(request));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Bad_blob_references_are_refused()
    {
        var request = await RequestAsync();
        request.BlobKey = "../etc/passwd";
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(async () => await Client.AppendAsync(request))).StatusCode);
        request.BlobKey = "";
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(async () => await Client.AppendAsync(request))).StatusCode);
        request.BlobKey = "messages/never-stored";
        Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(async () => await Client.AppendAsync(request))).StatusCode);
    }

    [Fact]
    public async Task List_mailboxes_and_usage()
    {
        var a = await RequestAsync();
        var b = await RequestAsync(mailbox: "Sent");
        await Client.AppendAsync(a);
        await Client.AppendAsync(b);

        var list = await Client.ListMailboxesAsync(new ListMailboxesRequest { User = "Jane@Example.com" });
        var inbox = Assert.Single(list.Mailboxes, m => m.Name == "INBOX");
        Assert.Equal("INBOX", inbox.SpecialUse);
        Assert.Equal(1u, inbox.Messages);
        Assert.Equal(a.BlobSize + a.HeaderPrefix.Length, inbox.Size);
        Assert.Contains(list.Mailboxes, m => m.Name == "Sent" && m.SpecialUse == "Sent");

        var usage = await Client.GetUsageAsync(new GetUsageRequest { User = Jane });
        Assert.Equal(2u, usage.Messages);
        Assert.Equal(2048, usage.QuotaBytes);
        Assert.Equal(a.BlobSize + a.HeaderPrefix.Length + b.BlobSize + b.HeaderPrefix.Length, usage.UsedBytes);

        var unlimited = await Client.GetUsageAsync(new GetUsageRequest { User = "john@example.com" });
        Assert.Equal(0, unlimited.QuotaBytes);
        Assert.Equal(0u, unlimited.Messages);
    }

    [Fact]
    public async Task Delete_user_data_removes_only_that_user()
    {
        await Client.AppendAsync(await RequestAsync());
        await Client.AppendAsync(await RequestAsync(mailbox: "Archive"));
        await Client.AppendAsync(await RequestAsync(user: "john@example.com"));

        var deleted = await Client.DeleteUserDataAsync(new DeleteUserDataRequest { User = Jane });
        Assert.Equal(2u, deleted.MessagesDeleted);
        Assert.Equal(0u, (await Client.GetUsageAsync(new GetUsageRequest { User = Jane })).Messages);
        Assert.Equal(1u, (await Client.GetUsageAsync(new GetUsageRequest { User = "john@example.com" })).Messages);

        // A user no longer configured can still have its data reclaimed; bad input is refused.
        Assert.Equal(0u, (await Client.DeleteUserDataAsync(new DeleteUserDataRequest { User = "removed@example.com" })).MessagesDeleted);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.DeleteUserDataAsync(new DeleteUserDataRequest { User = "not-an-address" }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Delete_domain_data_deletes_only_that_domain()
    {
        await Client.AppendAsync(await RequestAsync());
        await Client.AppendAsync(await RequestAsync(user: "john@example.com"));
        await Client.AppendAsync(await RequestAsync(user: "john@example.com"));
        await Client.AppendAsync(await RequestAsync(user: "bob@other.example"));

        var result = await Client.DeleteDomainDataAsync(new DeleteDomainDataRequest { Domain = "example.com" });
        Assert.Equal(2u, result.Users);
        Assert.Equal(3u, result.MessagesDeleted);

        Assert.Equal(0u, (await Client.GetUsageAsync(new GetUsageRequest { User = Jane })).Messages);
        Assert.Equal(0u, (await Client.GetUsageAsync(new GetUsageRequest { User = "john@example.com" })).Messages);
        Assert.Equal(1u, (await Client.GetUsageAsync(new GetUsageRequest { User = "bob@other.example" })).Messages);

        var again = await Client.DeleteDomainDataAsync(new DeleteDomainDataRequest { Domain = "example.com" });
        Assert.Equal(0u, again.Users);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.DeleteDomainDataAsync(new DeleteDomainDataRequest { Domain = "" }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
