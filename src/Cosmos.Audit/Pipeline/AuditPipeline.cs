using System.Text.Json.Nodes;
using Cosmos.Audit.Authorization;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Log;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;

namespace Cosmos.Audit.Pipeline;

/// <summary>The default <see cref="IAuditPipeline"/>: token validator, user accessor, RBAC, stamper, store, author signer and publisher in one call.</summary>
internal sealed class AuditPipeline(
    AccessTokenValidator tokens,
    IUserContextAccessor users,
    IAuditAuthorizationService authorization,
    AuditStamper stamper,
    IAuditDocumentStore store,
    AuthorStringSigner authors,
    AuditPublisher publisher,
    TimeProvider timeProvider) : IAuditPipeline
{
    private const string BearerPrefix = "Bearer ";

    public Task<AuditedWriteResult> CreateAsync(string? accessToken, string collection, string documentId, JsonObject document, string permission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return RunAsync(accessToken, AuditAction.Create, collection, documentId, document, permission, cancellationToken);
    }

    public Task<AuditedWriteResult> UpdateAsync(string? accessToken, string collection, string documentId, JsonObject document, string permission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return RunAsync(accessToken, AuditAction.Update, collection, documentId, document, permission, cancellationToken);
    }

    public Task<AuditedWriteResult> DeleteAsync(string? accessToken, string collection, string documentId, string permission, CancellationToken cancellationToken = default) =>
        RunAsync(accessToken, AuditAction.Delete, collection, documentId, incoming: null, permission, cancellationToken);

    public Task<AuditedWriteResult> RestoreAsync(string? accessToken, string collection, string documentId, string permission, CancellationToken cancellationToken = default) =>
        RunAsync(accessToken, AuditAction.Restore, collection, documentId, incoming: null, permission, cancellationToken);

    private async Task<AuditedWriteResult> RunAsync(
        string? accessToken,
        AuditAction action,
        string collection,
        string documentId,
        JsonObject? incoming,
        string permission,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentException.ThrowIfNullOrEmpty(permission);

        // 1. token -> user
        var token = accessToken?.Trim() ?? string.Empty;
        if (token.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            token = token[BearerPrefix.Length..].Trim();
        }

        var validation = token.Length == 0
            ? null
            : await tokens.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (validation is not { IsValid: true, User: { } user })
        {
            var reason = validation?.Failure ?? TokenFailureReason.Malformed;
            return new AuditedWriteResult
            {
                Status = AuditedWriteStatus.Unauthenticated,
                TokenFailure = reason,
                Message = token.Length == 0 ? "No access token was given." : $"The access token was rejected: {reason}.",
            };
        }

        // 2. user context for everything below, the host's store included
        using var scope = users.Use(user);

        // 3. RBAC
        var decision = authorization.Authorize(user, permission);
        if (!decision.IsAllowed)
        {
            return new AuditedWriteResult
            {
                Status = AuditedWriteStatus.Forbidden,
                MissingPermission = decision.Permission,
                Message = decision.Reason ?? $"The user lacks the permission '{decision.Permission}'.",
            };
        }

        // 4. stamped write
        var read = await store.GetAsync(collection, documentId, cancellationToken).ConfigureAwait(false);
        var stored = read?.Document;
        var refusal = Refuse(action, stored);
        if (refusal is not null)
        {
            return refusal;
        }

        JsonObject after;
        switch (action)
        {
            case AuditAction.Create:
                after = incoming!;
                stamper.StampCreate(after, user);
                break;
            case AuditAction.Update:
                after = incoming!;
                stamper.StampUpdate(after, stored, user);
                break;
            case AuditAction.Delete:
                after = (JsonObject)stored!.DeepClone();
                stamper.StampDelete(after, user);
                break;
            default:
                after = (JsonObject)stored!.DeepClone();
                stamper.StampRestore(after, user);
                break;
        }

        try
        {
            await store.PutAsync(collection, documentId, after, read?.Version ?? AuditStoredDocument.NoVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (AuditConcurrencyException ex)
        {
            return Conflict(ex.Message);
        }

        // 5. audit: the change has happened, so the event is published even if the caller gives up now.
        var auditEvent = AuditEvent.Create(
            action,
            collection,
            documentId,
            authors.Sign(user),
            stored,
            (JsonObject)after.DeepClone(),
            timeProvider);
        var outcome = await publisher.PublishAsync(auditEvent, CancellationToken.None).ConfigureAwait(false);
        return new AuditedWriteResult { Status = AuditedWriteStatus.Succeeded, Document = after, Event = auditEvent, AuditOutcome = outcome };
    }

    private static AuditedWriteResult? Refuse(AuditAction action, JsonObject? stored)
    {
        if (action == AuditAction.Create)
        {
            return stored is null ? null : Conflict("A document with this id already exists.");
        }

        if (stored is null)
        {
            return new AuditedWriteResult { Status = AuditedWriteStatus.NotFound, Message = "No document with this id exists." };
        }

        var deleted = AuditStamper.IsDeleted(stored);
        return action switch
        {
            AuditAction.Restore when !deleted => Conflict("The document is not deleted."),
            AuditAction.Update or AuditAction.Delete when deleted => Conflict("The document is deleted; restore it first."),
            _ => null,
        };
    }

    private static AuditedWriteResult Conflict(string message) => new() { Status = AuditedWriteStatus.Conflict, Message = message };
}
