using System.Diagnostics;
using System.Text.Json.Nodes;
using Cosmos.Audit.Authorization;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline.Internal;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Telemetry;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Cosmos.Audit.Validators;
using Cosmos.Audit.Validators.Internal;

namespace Cosmos.Audit.Pipeline;

/// <summary>The default <see cref="IAuditPipeline"/>: token validator, user accessor, RBAC, stamper, limits, commit validators,
/// store, author signer and publisher in one call; every refusal on the way is recorded as a security event. With an
/// <see cref="IAuditTransactionalDocumentStore"/> the store commits the event with the document instead of the publisher.</summary>
internal sealed class AuditPipeline(
    AccessTokenValidator tokens,
    IUserContextAccessor users,
    IAuditAuthorizationService authorization,
    AuditStamper stamper,
    IAuditDocumentStore store,
    AuthorStringSigner authors,
    AuditPublisher publisher,
    TimeProvider timeProvider,
    IAuditSecurityEventSink securityEvents,
    AuditCommitValidatorChain validators,
    AuditDocumentLimits limits,
    AuditTelemetryInstruments telemetry) : IAuditPipeline
{
    private const string BearerPrefix = "Bearer ";

    public Task<AuditedWriteResult> CreateAsync(string? accessToken, string collection, string documentId, JsonObject document, string permission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return RunAsync(accessToken, AuditAction.Create, collection, documentId, document, permission, null, cancellationToken);
    }

    public Task<AuditedWriteResult> UpdateAsync(string? accessToken, string collection, string documentId, JsonObject document, string permission, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return RunAsync(accessToken, AuditAction.Update, collection, documentId, document, permission, expectedVersion, cancellationToken);
    }

    public Task<AuditedWriteResult> DeleteAsync(string? accessToken, string collection, string documentId, string permission, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        RunAsync(accessToken, AuditAction.Delete, collection, documentId, incoming: null, permission, expectedVersion, cancellationToken);

    public Task<AuditedWriteResult> RestoreAsync(string? accessToken, string collection, string documentId, string permission, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        RunAsync(accessToken, AuditAction.Restore, collection, documentId, incoming: null, permission, expectedVersion, cancellationToken);

    private async Task<AuditedWriteResult> RunAsync(
        string? accessToken,
        AuditAction action,
        string collection,
        string documentId,
        JsonObject? incoming,
        string permission,
        long? expectedVersion,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentException.ThrowIfNullOrEmpty(permission);
        if (expectedVersion is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "A document's version is 1 or more.");
        }

        using var activity = AuditTelemetryInstruments.ActivitySource.StartActivity(AuditTelemetry.AuditedWriteSpan, ActivityKind.Internal);
        activity?.SetTag("cosmos.audit.action", action.ToString());
        activity?.SetTag("cosmos.audit.collection", collection);
        var result = await RunCoreAsync(accessToken, action, collection, documentId, incoming, permission, expectedVersion, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("cosmos.audit.status", result.Status.ToString());
        if (!result.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Status.ToString());
        }

        return result;
    }

    // Synchronous, so the token stays a slice of the header: a request the bearer scheme already authenticated is a validation
    // cache hit that copies nothing.
    private ValueTask<AccessTokenValidationResult> ValidateBearer(string? accessToken, out bool presented, CancellationToken cancellationToken)
    {
        var token = accessToken.AsSpan().Trim();
        if (token.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            token = token[BearerPrefix.Length..].Trim();
        }

        presented = !token.IsEmpty;
        return presented ? tokens.ValidateAsync(token, cancellationToken) : default;
    }

    private async Task<AuditedWriteResult> RunCoreAsync(
        string? accessToken,
        AuditAction action,
        string collection,
        string documentId,
        JsonObject? incoming,
        string permission,
        long? expectedVersion,
        CancellationToken cancellationToken)
    {
        // 1. token -> user
        var pending = ValidateBearer(accessToken, out var presented, cancellationToken);
        var validation = presented ? await pending.ConfigureAwait(false) : null;
        if (validation is not { IsValid: true, User: { } user })
        {
            var reason = validation?.Failure ?? TokenFailureReason.Malformed;
            var message = !presented ? "No access token was given." : $"The access token was rejected: {reason}.";
            await securityEvents.RecordAsync(
                new AuditSecurityEvent { Kind = AuditSecurityEventKind.AuthenticationFailed, Reason = message, Collection = collection, DocumentId = documentId },
                CancellationToken.None).ConfigureAwait(false);
            return new AuditedWriteResult { Status = AuditedWriteStatus.Unauthenticated, TokenFailure = reason, Message = message };
        }

        // 2. user context for everything below, the host's store included
        using var scope = users.Use(user);

        // 3. RBAC
        var decision = authorization.Authorize(user, permission);
        if (!decision.IsAllowed)
        {
            var message = decision.Reason ?? $"The user lacks the permission '{decision.Permission}'.";
            await securityEvents.RecordAsync(
                new AuditSecurityEvent { Kind = AuditSecurityEventKind.AccessDenied, Reason = message, Actor = user, Collection = collection, DocumentId = documentId },
                CancellationToken.None).ConfigureAwait(false);
            return new AuditedWriteResult { Status = AuditedWriteStatus.Forbidden, MissingPermission = decision.Permission, Message = message };
        }

        // 4. what is stored now, and whether the change makes sense for it
        var read = await store.GetAsync(collection, documentId, cancellationToken).ConfigureAwait(false);
        var stored = read?.Document;
        var storedVersion = read?.Version ?? AuditStoredDocument.NoVersion;
        var refusal = Refuse(action, stored);
        if (refusal is not null)
        {
            return refusal;
        }

        // 5. stamp (audit fields the client sent are noted for the tamper validator, then replaced)
        var submittedAuditFields = TamperCommitValidator.FindAuditFields(incoming);
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

        // 6. a caller that named the version it read is refused when the document has moved on (no last-write-wins)
        if (expectedVersion is { } named && named != storedVersion)
        {
            return await VersionMismatchAsync(user, collection, documentId, named, storedVersion).ConfigureAwait(false);
        }

        // 7. can the change be recorded, and do the commit validators allow it? A refusal writes nothing.
        var author = authors.Sign(user);
        var verdict = AuditDocumentLimitsChecker.Check(limits, collection, documentId, author, action is AuditAction.Create or AuditAction.Update ? after : null);
        AuditCommitContext? context = null;
        if (verdict is null && validators.Count > 0)
        {
            context = new AuditCommitContext(user, action, collection, documentId, stored, after)
            {
                StoredVersion = storedVersion,
                ExpectedVersion = expectedVersion,
                SubmittedAuditFields = submittedAuditFields,
            };
            var chainVerdict = await validators.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
            verdict = chainVerdict.IsAllowed ? null : chainVerdict;
        }

        if (verdict is not null)
        {
            return await RefusedAsync(user, collection, documentId, verdict).ConfigureAwait(false);
        }

        // 8. the record of the change, built before the write so that a transactional store commits the very event the sink would get
        var recordedBefore = stored;
        var recordedAfter = (JsonObject)after.DeepClone();
        if (context is not null)
        {
            (recordedBefore, recordedAfter) = AuditRecordRedaction.Apply(context, stored, recordedAfter);
        }

        var auditEvent = AuditEvent.Create(action, collection, documentId, author, recordedBefore, recordedAfter, timeProvider);

        // 9. store, only if nobody changed the document since it was read (or since the version the caller named);
        //    a transactional store commits the record with the document, so the sink must not record it a second time.
        var transactional = store as IAuditTransactionalDocumentStore;
        long version;
        try
        {
            version = transactional is not null
                ? await transactional.PutWithRecordAsync(collection, documentId, after, expectedVersion ?? storedVersion, auditEvent, cancellationToken).ConfigureAwait(false)
                : await store.PutAsync(collection, documentId, after, expectedVersion ?? storedVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (AuditConcurrencyException ex)
        {
            // Another write landed between our read and our write.
            return await VersionMismatchAsync(user, collection, documentId, ex.ExpectedVersion, ex.ActualVersion).ConfigureAwait(false);
        }

        // 10. audit: the change has happened, so the event is published even if the caller gives up now.
        var outcome = transactional is not null
            ? AuditPublishOutcome.Written
            : await publisher.PublishAsync(auditEvent, CancellationToken.None).ConfigureAwait(false);
        return new AuditedWriteResult { Status = AuditedWriteStatus.Succeeded, Document = after, Version = version, Event = auditEvent, AuditOutcome = outcome };
    }

    private async Task<AuditedWriteResult> RefusedAsync(UserContext user, string collection, string documentId, AuditValidationVerdict verdict)
    {
        telemetry.WriteRefused(verdict.Validator);
        var message = verdict.ToString();

        // The id itself may be what was refused (a lone surrogate): the security event sink writes such text visibly escaped.
        await securityEvents.RecordAsync(
            new AuditSecurityEvent { Kind = AuditSecurityEventKind.WriteRefused, Reason = message, Actor = user, Collection = collection, DocumentId = documentId },
            CancellationToken.None).ConfigureAwait(false);
        return new AuditedWriteResult { Status = AuditedWriteStatus.Refused, Verdict = verdict, Message = message };
    }

    private async Task<AuditedWriteResult> VersionMismatchAsync(UserContext user, string collection, string documentId, long expected, long? actual)
    {
        telemetry.WriteRefused("concurrency");
        var message = $"The document changed since it was read: version {expected} was named, " +
            (actual is { } a ? $"version {a} is stored." : "another write came first.");
        await securityEvents.RecordAsync(
            new AuditSecurityEvent { Kind = AuditSecurityEventKind.WriteRefused, Reason = "stale version: " + message, Actor = user, Collection = collection, DocumentId = documentId },
            CancellationToken.None).ConfigureAwait(false);
        return new AuditedWriteResult { Status = AuditedWriteStatus.VersionMismatch, Message = message, Version = actual };
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
