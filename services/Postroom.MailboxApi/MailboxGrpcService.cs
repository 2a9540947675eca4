using Grpc.Core;
using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Config.Snapshot;
using Postroom.Mailbox;
using Postroom.Mailbox.V1;
using Postroom.Storage;
using StackExchange.Redis;
using AppendRequest = Postroom.Mailbox.V1.AppendRequest;

namespace Postroom.MailboxApi;

/// <summary>
/// <c>postroom.mailbox.v1.MailboxService</c> over <see cref="IMailboxStore"/>. Users are looked up in the
/// current configuration snapshot: an unknown user is NOT_FOUND, and the quota is the compiled user's. Store
/// outcomes map to status codes: quota → RESOURCE_EXHAUSTED, bad mailbox name or flags → INVALID_ARGUMENT,
/// a missing body → FAILED_PRECONDITION, Redis unreachable → UNAVAILABLE (the caller retries).
/// </summary>
public sealed class MailboxGrpcService(IMailboxStore store, IConfigSnapshotSource config, ILogger<MailboxGrpcService> logger, TimeProvider? time = null)
    : MailboxService.MailboxServiceBase
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public override async Task<AppendResponse> Append(AppendRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var account = FindUser(request.User);
        var mailbox = Validate(() => MailboxNames.Normalize(request.Mailbox));
        var flags = Validate(() => MessageFlags.Normalize(request.Flags));
        if (string.IsNullOrEmpty(request.BlobKey) || request.BlobSize < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "blob_key is required and blob_size must not be negative"));
        }

        Validate(() =>
        {
            BlobKey.Validate(request.BlobKey, "blob_key");
            return true;
        });

        var internalDate = request.InternalDate is { } date ? date.ToDateTimeOffset() : _time.GetUtcNow();
        var append = new Mailbox.AppendRequest(
            account.Address,
            mailbox,
            request.BlobKey,
            request.BlobSize,
            request.HeaderPrefix.Memory,
            flags,
            internalDate,
            string.IsNullOrEmpty(request.IdempotencyKey) ? null : request.IdempotencyKey,
            account.User.QuotaBytes);

        AppendResult result;
        try
        {
            result = await store.AppendAsync(append, context.CancellationToken).ConfigureAwait(false);
        }
        catch (MailboxQuotaExceededException)
        {
            MailboxApiLog.Refused(logger, account.Address, mailbox, nameof(StatusCode.ResourceExhausted), "quota");
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the quota of {account.Address} would be exceeded"));
        }
        catch (MailboxNotFoundException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, e.Message));
        }
        catch (BlobNotFoundException)
        {
            MailboxApiLog.Refused(logger, account.Address, mailbox, nameof(StatusCode.FailedPrecondition), "no body");
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"no stored body has the key '{request.BlobKey}'"));
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e, "append");
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            MailboxApiLog.Appended(logger, account.Address, mailbox, request.BlobKey, request.BlobSize, result.UidValidity, result.Uid, result.Duplicate);
        }

        return new AppendResponse { UidValidity = result.UidValidity, Uid = result.Uid, Duplicate = result.Duplicate };
    }

    public override async Task<ListMailboxesResponse> ListMailboxes(ListMailboxesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var account = FindUser(request.User);
        IReadOnlyList<MailboxInfo> mailboxes;
        try
        {
            mailboxes = await store.ListMailboxesAsync(account.Address, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e, "list mailboxes");
        }

        var response = new ListMailboxesResponse();
        response.Mailboxes.AddRange(mailboxes.Select(m => new MailboxSummary
        {
            Name = m.Name,
            SpecialUse = SpecialUseName(m.SpecialUse),
            Messages = m.Messages,
            Size = m.Size,
        }));
        return response;
    }

    public override async Task<GetUsageResponse> GetUsage(GetUsageRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var account = FindUser(request.User);
        MailboxUsage usage;
        try
        {
            usage = await store.GetUsageAsync(account.Address, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e, "get usage");
        }

        return new GetUsageResponse
        {
            UsedBytes = usage.Bytes,
            QuotaBytes = account.User.QuotaBytes ?? 0,
            Messages = (uint)Math.Clamp(usage.Messages, 0, uint.MaxValue),
        };
    }

    /// <summary>
    /// Deletes a user's data. The user need not be in the configuration any more: this is how the data of a
    /// removed user is reclaimed. A configured user is addressed by its canonical address.
    /// </summary>
    public override async Task<DeleteUserDataResponse> DeleteUserData(DeleteUserDataRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(request.User) || !request.User.Contains('@', StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "user must be an address"));
        }

        var user = config.Current.FindUser(request.User)?.Address ?? request.User;
        long deleted;
        try
        {
            deleted = await store.DeleteUserDataAsync(user, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e, "delete user data");
        }

        MailboxApiLog.UserDataDeleted(logger, user, deleted);
        return new DeleteUserDataResponse { MessagesDeleted = (uint)Math.Clamp(deleted, 0, uint.MaxValue) };
    }

    /// <summary>Deletes the data of every user of a domain that has data (configured or not any more).</summary>
    public override async Task<DeleteDomainDataResponse> DeleteDomainData(DeleteDomainDataRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(request.Domain))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "domain is required"));
        }

        DomainDeletion deletion;
        try
        {
            deletion = await store.DeleteDomainDataAsync(request.Domain, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e, "delete domain data");
        }

        MailboxApiLog.DomainDataDeleted(logger, request.Domain, deletion.Users, deletion.MessagesDeleted);
        return new DeleteDomainDataResponse
        {
            Users = (uint)deletion.Users,
            MessagesDeleted = (uint)Math.Clamp(deletion.MessagesDeleted, 0, uint.MaxValue),
        };
    }

    /// <summary>INBOX, Sent, Drafts, Trash, Junk, Archive, or empty (as the proto documents).</summary>
    internal static string SpecialUseName(SpecialUse use) => use switch
    {
        SpecialUse.None => "",
        SpecialUse.Inbox => MailboxNames.Inbox,
        _ => use.ToString(),
    };

    private UserAccount FindUser(string user) =>
        (string.IsNullOrEmpty(user) ? null : config.Current.FindUser(user))
        ?? throw new RpcException(new Status(StatusCode.NotFound, $"no user '{user}' is configured"));

    private static T Validate<T>(Func<T> check)
    {
        try
        {
            return check();
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }

    private static bool IsUnavailable(Exception e) => e is RedisConnectionException or RedisTimeoutException;

    private RpcException Unavailable(Exception e, string operation)
    {
        MailboxApiLog.StoreUnavailable(logger, e, operation);
        return new RpcException(new Status(StatusCode.Unavailable, "the mailbox store is unavailable, try again"));
    }
}
