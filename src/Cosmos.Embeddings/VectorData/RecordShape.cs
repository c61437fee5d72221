using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace Cosmos.Embeddings.VectorData;

/// <summary>How a collection reads a record's key and vector: from <see cref="VectorStoreKeyAttribute"/> and
/// <see cref="VectorStoreVectorAttribute"/> properties, from a <see cref="VectorStoreCollectionDefinition"/>, or, for
/// dynamic collections, from dictionary entries named by the definition.</summary>
internal sealed class RecordShape<TRecord>
{
    private readonly Func<TRecord, object?> _key;
    private readonly Func<TRecord, object?> _vector;

    private RecordShape(Func<TRecord, object?> key, Func<TRecord, object?> vector, int dimensions, string vectorName, IEmbeddingGenerator? generator)
    {
        _key = key;
        _vector = vector;
        Dimensions = dimensions;
        VectorPropertyName = vectorName;
        Generator = generator;
    }

    public int Dimensions { get; }

    public string VectorPropertyName { get; }

    /// <summary>Turns text searches into vectors, when the definition or the vector property names one.</summary>
    public IEmbeddingGenerator? Generator { get; }

    public static RecordShape<TRecord> ForType(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type,
        VectorStoreCollectionDefinition? definition,
        IEmbeddingGenerator? storeGenerator)
    {
        PropertyInfo? keyProperty = null;
        PropertyInfo? vectorProperty = null;
        int dimensions = 0;
        IEmbeddingGenerator? generator = definition?.EmbeddingGenerator ?? storeGenerator;
        if (definition is not null)
        {
            var key = definition.Properties.OfType<VectorStoreKeyProperty>().SingleOrDefault()
                ?? throw new ArgumentException("The collection definition has no key property.", nameof(definition));
            var vector = definition.Properties.OfType<VectorStoreVectorProperty>().FirstOrDefault()
                ?? throw new ArgumentException("The collection definition has no vector property.", nameof(definition));
            keyProperty = type.GetProperty(key.Name);
            vectorProperty = type.GetProperty(vector.Name);
            dimensions = vector.Dimensions;
            generator = vector.EmbeddingGenerator ?? generator;
        }
        else
        {
            foreach (var property in type.GetProperties())
            {
                if (property.GetCustomAttribute<VectorStoreKeyAttribute>() is not null)
                {
                    keyProperty = property;
                }
                else if (property.GetCustomAttribute<VectorStoreVectorAttribute>() is { } attribute && vectorProperty is null)
                {
                    vectorProperty = property;
                    dimensions = attribute.Dimensions;
                }
            }
        }

        if (keyProperty is null || keyProperty.PropertyType != typeof(string))
        {
            throw new NotSupportedException($"{type.Name} needs a string key property marked [VectorStoreKey] (or named by the definition).");
        }

        if (vectorProperty is null)
        {
            throw new NotSupportedException($"{type.Name} needs a vector property marked [VectorStoreVector] (or named by the definition).");
        }

        if (dimensions < 1)
        {
            throw new ArgumentException($"The vector property '{vectorProperty.Name}' of {type.Name} declares {dimensions} dimensions; at least 1 is needed.", nameof(definition));
        }

        return new RecordShape<TRecord>(r => keyProperty.GetValue(r), r => vectorProperty.GetValue(r), dimensions, vectorProperty.Name, generator);
    }

    public static RecordShape<Dictionary<string, object?>> ForDictionary(VectorStoreCollectionDefinition definition, IEmbeddingGenerator? storeGenerator)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var key = definition.Properties.OfType<VectorStoreKeyProperty>().SingleOrDefault()
            ?? throw new ArgumentException("The collection definition has no key property.", nameof(definition));
        var vector = definition.Properties.OfType<VectorStoreVectorProperty>().FirstOrDefault()
            ?? throw new ArgumentException("The collection definition has no vector property.", nameof(definition));
        if (vector.Dimensions < 1)
        {
            throw new ArgumentException($"The vector property '{vector.Name}' declares {vector.Dimensions} dimensions; at least 1 is needed.", nameof(definition));
        }

        return new RecordShape<Dictionary<string, object?>>(
            r => r.GetValueOrDefault(key.Name),
            r => r.GetValueOrDefault(vector.Name),
            vector.Dimensions,
            vector.Name,
            vector.EmbeddingGenerator ?? definition.EmbeddingGenerator ?? storeGenerator);
    }

    public string GetKey(TRecord record) =>
        _key(record) as string is { Length: > 0 } key
            ? key
            : throw new ArgumentException("The record's key is null or empty.", nameof(record));

    public ReadOnlyMemory<float> GetVector(TRecord record) =>
        ToVector(_vector(record)) ?? throw new ArgumentException($"The record's vector property '{VectorPropertyName}' is null or not a float vector.", nameof(record));

    // Typed arms: with an untyped null arm the switch's natural type would be ReadOnlyMemory<float>, and null would become an empty vector.
    public static ReadOnlyMemory<float>? ToVector(object? value) => value switch
    {
        ReadOnlyMemory<float> memory => memory,
        float[] array => array,
        Embedding<float> embedding => embedding.Vector,
        _ => (ReadOnlyMemory<float>?)null,
    };
}
