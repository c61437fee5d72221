namespace Cosmos.Audit.Stamping;

/// <summary>An entity with all ten audit fields: creation, modification and soft deletion.</summary>
public interface IFullyAudited : ICreationAudited, IModificationAudited, ISoftDeletable
{
}
