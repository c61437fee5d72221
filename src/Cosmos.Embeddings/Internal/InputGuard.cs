namespace Cosmos.Embeddings.Internal;

/// <summary>The one check every entry point applies to an input before anything is sent: present and not blank.</summary>
internal static class InputGuard
{
    /// <summary>Throws when <paramref name="input"/> is null, empty or white space, naming its index.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> is empty or white space.</exception>
    public static void ThrowIfBlank(string? input, int index, string paramName)
    {
        if (input is null)
        {
            throw new ArgumentNullException(paramName, $"The input at index {index} is null; every input must be a string.");
        }

        if (string.IsNullOrWhiteSpace(input))
        {
            // A provider answers a blank input with a 400 that fails the whole request; refuse it here instead.
            throw new ArgumentException($"The input at index {index} is empty or white space; there is nothing to embed.", paramName);
        }
    }

    /// <summary>Checks every input of <paramref name="inputs"/>.</summary>
    public static void ThrowIfAnyBlank(IReadOnlyList<string> inputs, string paramName)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            ThrowIfBlank(inputs[i], i, paramName);
        }
    }
}
