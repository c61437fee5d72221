using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cosmos.Embeddings.Providers.Internal;

/// <summary>Reads a vector written either as a JSON array of numbers or as base64 of little-endian float32 values.</summary>
/// <remarks>Accepting both lets a server that ignores <c>encoding_format</c> still be read correctly.</remarks>
internal sealed class EmbeddingVectorJsonConverter : JsonConverter<float[]>
{
    public override float[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return DecodeBase64(ref reader);
            case JsonTokenType.StartArray:
                var values = new List<float>(1024);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number)
                    {
                        throw new JsonException($"An embedding vector contains a {reader.TokenType} where a number was expected.");
                    }

                    values.Add(reader.GetSingle());
                }

                return values.ToArray();
            default:
                throw new JsonException($"An embedding vector is a {reader.TokenType}; expected an array of numbers or a base64 string.");
        }
    }

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteNumberValue(item);
        }

        writer.WriteEndArray();
    }

    internal static float[] DecodeBase64(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new JsonException($"A base64 embedding decodes to {bytes.Length} bytes, which is not a whole number of float32 values.");
        }

        var vector = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float), sizeof(float)));
        }

        return vector;
    }

    private static float[] DecodeBase64(ref Utf8JsonReader reader)
    {
        byte[] bytes;
        try
        {
            bytes = reader.GetBytesFromBase64();
        }
        catch (FormatException ex)
        {
            throw new JsonException("A base64 embedding is not valid base64.", ex);
        }

        return DecodeBase64(bytes);
    }
}
