namespace Cosmos.Embeddings.Onnx.Tests.Model;

/// <summary>Pairs that say the same thing in different words; every pair is unrelated to every other.</summary>
internal static class ParaphrasePairs
{
    public static readonly (string A, string B)[] All =
    [
        ("The provider keeps failing, so the breaker opens.", "After repeated errors the circuit breaker trips."),
        ("How do I reset my password?", "What are the steps to change a forgotten password?"),
        ("The cat sat on the mat.", "A cat was sitting on the rug."),
        ("Search the documents for similar meaning.", "Find texts that mean the same thing."),
        ("The weather is cold and rainy today.", "It is a chilly, wet day."),
        ("He bought a new car last week.", "Last week he purchased a new automobile."),
    ];
}
