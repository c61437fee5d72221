using System.Globalization;
using System.Text.Json.Nodes;
using Cosmos.Audit.Users;

namespace Cosmos.Audit.Stamping;

/// <summary>Stamps the ten audit fields on JSON documents and on audited entities, replacing whatever the client sent.</summary>
/// <remarks>
/// <para>Create stamps the created and updated fields and sets <c>_deleted</c> to <see langword="false"/>. Update stamps the
/// updated fields and takes the created and deleted fields from the stored original (or removes them when no original is
/// given), so a client can neither forge nor erase them. Delete is a soft delete that also stamps the updated fields;
/// restore clears the deleted fields and stamps the updated fields.</para>
/// <para>Timestamps come from the injected <see cref="TimeProvider"/> and are written as UTC ISO-8601 with seven fractional
/// digits (<c>2026-01-01T12:00:00.0000000Z</c>). The overloads without a user take it from <see cref="IUserContextAccessor"/>.</para>
/// </remarks>
public sealed class AuditStamper
{
    private readonly TimeProvider _timeProvider;
    private readonly IUserContextAccessor? _users;

    /// <summary>Creates a stamper.</summary>
    /// <param name="timeProvider">The clock for the timestamps.</param>
    /// <param name="users">The accessor the overloads without a user read the current user from; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public AuditStamper(TimeProvider timeProvider, IUserContextAccessor? users = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _users = users;
    }

    /// <summary>Formats a timestamp the way the stamper writes it: UTC ISO-8601 with seven fractional digits and a <c>Z</c>.</summary>
    /// <param name="value">The instant.</param>
    /// <returns>For example <c>2026-01-01T12:00:00.0000000Z</c>.</returns>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture); // "O" of a UTC DateTime is exactly yyyy-MM-ddTHH:mm:ss.fffffffZ

    /// <summary>Stamps a new document: created and updated fields set to the user and now, <c>_deleted</c> false, deleted fields null.</summary>
    /// <param name="document">The incoming document; its audit fields are overwritten.</param>
    /// <param name="user">The acting user.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public void StampCreate(JsonObject document, UserContext user)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(user);
        RemoveLookalikes(document);
        var now = FormatTimestamp(_timeProvider.GetUtcNow());
        document[AuditFields.CreatedBy] = user.UserId;
        document[AuditFields.CreatedByUsername] = user.Username;
        document[AuditFields.CreatedAt] = now;
        document[AuditFields.UpdatedBy] = user.UserId;
        document[AuditFields.UpdatedByUsername] = user.Username;
        document[AuditFields.UpdatedAt] = now;
        document[AuditFields.Deleted] = false;
        document[AuditFields.DeletedBy] = null;
        document[AuditFields.DeletedByUsername] = null;
        document[AuditFields.DeletedAt] = null;
    }

    /// <summary>Stamps a new document for the current user of <see cref="IUserContextAccessor"/>.</summary>
    /// <param name="document">The incoming document; its audit fields are overwritten.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    public void StampCreate(JsonObject document) => StampCreate(document, CurrentUser());

    /// <summary>Stamps a replacement of a stored document: updated fields set to the user and now; created and deleted fields
    /// copied from <paramref name="stored"/>, or removed from <paramref name="document"/> when <paramref name="stored"/> is null.</summary>
    /// <param name="document">The incoming document; its audit fields are overwritten.</param>
    /// <param name="stored">The stored original, read by the caller from its store, or <see langword="null"/> for a partial
    /// update that the store merges (then the store keeps its own created and deleted fields).</param>
    /// <param name="user">The acting user.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> or <paramref name="user"/> is <see langword="null"/>.</exception>
    public void StampUpdate(JsonObject document, JsonObject? stored, UserContext user)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(user);
        RemoveLookalikes(document);
        CopyOrRemove(document, stored, AuditFields.CreatedBy);
        CopyOrRemove(document, stored, AuditFields.CreatedByUsername);
        CopyOrRemove(document, stored, AuditFields.CreatedAt);
        CopyOrRemove(document, stored, AuditFields.Deleted);
        CopyOrRemove(document, stored, AuditFields.DeletedBy);
        CopyOrRemove(document, stored, AuditFields.DeletedByUsername);
        CopyOrRemove(document, stored, AuditFields.DeletedAt);
        StampUpdated(document, user, FormatTimestamp(_timeProvider.GetUtcNow()));
    }

    /// <summary>Stamps a replacement of a stored document for the current user of <see cref="IUserContextAccessor"/>.</summary>
    /// <param name="document">The incoming document; its audit fields are overwritten.</param>
    /// <param name="stored">The stored original, or <see langword="null"/> for a partial update the store merges.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    public void StampUpdate(JsonObject document, JsonObject? stored) => StampUpdate(document, stored, CurrentUser());

    /// <summary>Soft-deletes a stored document: <c>_deleted</c> true, deleted and updated fields set to the user and now.</summary>
    /// <param name="document">The stored document.</param>
    /// <param name="user">The acting user.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The document is already deleted (its first deleter is kept).</exception>
    public void StampDelete(JsonObject document, UserContext user)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(user);
        if (IsDeleted(document))
        {
            throw new InvalidOperationException("The document is already deleted; restore it before deleting it again.");
        }

        RemoveLookalikes(document);
        var now = FormatTimestamp(_timeProvider.GetUtcNow());
        document[AuditFields.Deleted] = true;
        document[AuditFields.DeletedBy] = user.UserId;
        document[AuditFields.DeletedByUsername] = user.Username;
        document[AuditFields.DeletedAt] = now;
        StampUpdated(document, user, now);
    }

    /// <summary>Soft-deletes a stored document for the current user of <see cref="IUserContextAccessor"/>.</summary>
    /// <param name="document">The stored document.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">There is no current user, or the document is already deleted.</exception>
    public void StampDelete(JsonObject document) => StampDelete(document, CurrentUser());

    /// <summary>Restores (undeletes) a soft-deleted document: <c>_deleted</c> false, deleted fields null, updated fields set to the user and now.</summary>
    /// <param name="document">The stored, soft-deleted document.</param>
    /// <param name="user">The acting user.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The document is not deleted.</exception>
    public void StampRestore(JsonObject document, UserContext user)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(user);
        if (!IsDeleted(document))
        {
            throw new InvalidOperationException("The document is not deleted, so there is nothing to restore.");
        }

        RemoveLookalikes(document);
        document[AuditFields.Deleted] = false;
        document[AuditFields.DeletedBy] = null;
        document[AuditFields.DeletedByUsername] = null;
        document[AuditFields.DeletedAt] = null;
        StampUpdated(document, user, FormatTimestamp(_timeProvider.GetUtcNow()));
    }

    /// <summary>Restores a soft-deleted document for the current user of <see cref="IUserContextAccessor"/>.</summary>
    /// <param name="document">The stored, soft-deleted document.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">There is no current user, or the document is not deleted.</exception>
    public void StampRestore(JsonObject document) => StampRestore(document, CurrentUser());

    /// <summary>Returns whether a document's <c>_deleted</c> field is the JSON value <see langword="true"/>.</summary>
    /// <param name="document">The document.</param>
    /// <returns><see langword="true"/> when the document is soft-deleted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    public static bool IsDeleted(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.TryGetPropertyValue(AuditFields.Deleted, out var node)
            && node is JsonValue value
            && value.TryGetValue(out bool deleted)
            && deleted;
    }

    /// <summary>Stamps a new entity through the audit interfaces it implements (<see cref="ICreationAudited"/>,
    /// <see cref="IModificationAudited"/>, <see cref="ISoftDeletable"/>).</summary>
    /// <typeparam name="T">The entity type.</typeparam>
    /// <param name="entity">The incoming entity; its audit properties are overwritten.</param>
    /// <param name="user">The acting user.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The entity implements none of the audit interfaces.</exception>
    public void StampCreate<T>(T entity, UserContext user)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(user);
        EnsureAudited(entity);
        var now = _timeProvider.GetUtcNow().ToUniversalTime();
        if (entity is ICreationAudited created)
        {
            created.CreatedBy = user.UserId;
            created.CreatedByUsername = user.Username;
            created.CreatedAt = now;
        }

        if (entity is IModificationAudited updated)
        {
            updated.UpdatedBy = user.UserId;
            updated.UpdatedByUsername = user.Username;
            updated.UpdatedAt = now;
        }

        if (entity is ISoftDeletable deletable)
        {
            ClearDeleted(deletable);
        }
    }

    /// <summary>Stamps a new entity for the current user of <see cref="IUserContextAccessor"/>.</summary>
    /// <typeparam name="T">The entity type.</typeparam>
    /// <param name="entity">The incoming entity.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entity"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The entity implements none of the audit interfaces.</exception>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    public void StampCreate<T>(T entity)
        where T : class => StampCreate(entity, CurrentUser());

    /// <summary>Stamps a replacement of a stored entity: updated properties set; created and deleted properties copied from
    /// <paramref name="stored"/>, or cleared when <paramref name="stored"/> is null.</summary>
    /// <typeparam name="T">The entity type.</typeparam>
    /// <param name="entity">The incoming entity; its audit properties are overwritten.</param>
    /// <param name="stored">The stored original, or <see langword="null"/> for a partial update the store merges.</param>
    /// <param name="user">The acting user.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entity"/> or <paramref name="user"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The entity implements none of the audit interfaces.</exception>
    public void StampUpdate<T>(T entity, T? stored, UserContext user)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(user);
        EnsureAudited(entity);
        if (entity is ICreationAudited created)
        {
            var original = stored as ICreationAudited;
            created.CreatedBy = original?.CreatedBy;
            created.CreatedByUsername = original?.CreatedByUsername;
            created.CreatedAt = original?.CreatedAt;
        }

        if (entity is ISoftDeletable deletable)
        {
            var original = stored as ISoftDeletable;
            deletable.IsDeleted = original?.IsDeleted ?? false;
            deletable.DeletedBy = original?.DeletedBy;
            deletable.DeletedByUsername = original?.DeletedByUsername;
            deletable.DeletedAt = original?.DeletedAt;
        }

        StampUpdated(entity, user, _timeProvider.GetUtcNow().ToUniversalTime());
    }

    /// <summary>Stamps a replacement of a stored entity for the current user of <see cref="IUserContextAccessor"/>.</summary>
    /// <typeparam name="T">The entity type.</typeparam>
    /// <param name="entity">The incoming entity.</param>
    /// <param name="stored">The stored original, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entity"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The entity implements none of the audit interfaces.</exception>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    public void StampUpdate<T>(T entity, T? stored)
        where T : class => StampUpdate(entity, stored, CurrentUser());

    /// <summary>Soft-deletes a stored entity that implements <see cref="ISoftDeletable"/>, and stamps its updated properties.</summary>
    /// <param name="entity">The stored entity.</param>
    /// <param name="user">The acting user.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The entity is already deleted.</exception>
    public void StampDelete(ISoftDeletable entity, UserContext user)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(user);
        if (entity.IsDeleted)
        {
            throw new InvalidOperationException("The entity is already deleted; restore it before deleting it again.");
        }

        var now = _timeProvider.GetUtcNow().ToUniversalTime();
        entity.IsDeleted = true;
        entity.DeletedBy = user.UserId;
        entity.DeletedByUsername = user.Username;
        entity.DeletedAt = now;
        StampUpdated(entity, user, now);
    }

    /// <summary>Soft-deletes a stored entity for the current user of <see cref="IUserContextAccessor"/>.</summary>
    /// <param name="entity">The stored entity.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entity"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">There is no current user, or the entity is already deleted.</exception>
    public void StampDelete(ISoftDeletable entity) => StampDelete(entity, CurrentUser());

    /// <summary>Restores a soft-deleted entity: deleted properties cleared, updated properties stamped.</summary>
    /// <param name="entity">The stored, soft-deleted entity.</param>
    /// <param name="user">The acting user.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The entity is not deleted.</exception>
    public void StampRestore(ISoftDeletable entity, UserContext user)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(user);
        if (!entity.IsDeleted)
        {
            throw new InvalidOperationException("The entity is not deleted, so there is nothing to restore.");
        }

        ClearDeleted(entity);
        StampUpdated(entity, user, _timeProvider.GetUtcNow().ToUniversalTime());
    }

    /// <summary>Restores a soft-deleted entity for the current user of <see cref="IUserContextAccessor"/>.</summary>
    /// <param name="entity">The stored, soft-deleted entity.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entity"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">There is no current user, or the entity is not deleted.</exception>
    public void StampRestore(ISoftDeletable entity) => StampRestore(entity, CurrentUser());

    private static void StampUpdated(JsonObject document, UserContext user, string now)
    {
        document[AuditFields.UpdatedBy] = user.UserId;
        document[AuditFields.UpdatedByUsername] = user.Username;
        document[AuditFields.UpdatedAt] = now;
    }

    private static void StampUpdated(object entity, UserContext user, DateTimeOffset now)
    {
        if (entity is IModificationAudited updated)
        {
            updated.UpdatedBy = user.UserId;
            updated.UpdatedByUsername = user.Username;
            updated.UpdatedAt = now;
        }
    }

    private static void ClearDeleted(ISoftDeletable entity)
    {
        entity.IsDeleted = false;
        entity.DeletedBy = null;
        entity.DeletedByUsername = null;
        entity.DeletedAt = null;
    }

    private static void CopyOrRemove(JsonObject document, JsonObject? stored, string name)
    {
        if (stored is not null && stored.TryGetPropertyValue(name, out var original))
        {
            document[name] = original?.DeepClone();
        }
        else
        {
            document.Remove(name);
        }
    }

    private static void EnsureAudited(object entity)
    {
        if (entity is not (ICreationAudited or IModificationAudited or ISoftDeletable))
        {
            throw new ArgumentException(
                $"The entity type {entity.GetType().FullName} implements none of ICreationAudited, IModificationAudited or ISoftDeletable.",
                nameof(entity));
        }
    }

    // A client could send "_Created_By" hoping that a case-insensitive deserializer downstream maps it onto an audit
    // property; properties that match an audit field name in any other casing are dropped.
    private static void RemoveLookalikes(JsonObject document)
    {
        List<string>? lookalikes = null;
        foreach (var property in document)
        {
            var name = property.Key;
            if (name.Length > 1 && name[0] == '_' && !AuditFields.IsAuditField(name) && IsAuditFieldIgnoringCase(name))
            {
                (lookalikes ??= []).Add(name);
            }
        }

        if (lookalikes is not null)
        {
            foreach (var name in lookalikes)
            {
                document.Remove(name);
            }
        }
    }

    private static bool IsAuditFieldIgnoringCase(string name)
    {
        foreach (var field in AuditFields.All)
        {
            if (string.Equals(field, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private UserContext CurrentUser() =>
        _users?.Current ?? throw new InvalidOperationException(
            "There is no current user: pass a UserContext or wrap the call in IUserContextAccessor.Use(user).");
}
