namespace Cosmos.Embeddings.Onnx.Tests.Model;

/// <summary>Varied inputs for comparing vectors with the reference encoder: short and long (truncated) English, punctuation,
/// digits and symbols, and non-ASCII scripts whose letters carry no combining marks.</summary>
internal static class ReferenceCorpus
{
    private static readonly string[] Subjects = ["The circuit breaker", "A fallback provider", "Our vector index", "The audit log", "This small model", "A hosted service", "The batch splitter", "Every request"];
    private static readonly string[] Verbs = ["opens after", "answers during", "stores vectors for", "records changes from", "runs offline for", "times out on", "splits inputs of", "retries after"];
    private static readonly string[] Objects = ["repeated failures", "a network outage", "semantic search", "each tenant", "a laptop", "slow upstream calls", "large documents", "a short pause"];

    /// <summary>Inputs whose tokenization by the reference encoder and by Hugging Face's BERT tokenizer agree.</summary>
    public static IReadOnlyList<string> Create()
    {
        var random = new Random(20261130);
        var inputs = new List<string>
        {
            "Hello world",
            "hi",
            "A",
            "42",
            "OK!",
            "What is the capital of France?",
            "it's a well-known fact: A.B.C. (test) [x] {y} <z>",
            "Prices rose 3.5% to $1,299.99 on 2026-11-30 at 10:45 a.m.",
            "e-mail me at someone@example.com or visit example.com/path?q=1&r=2",
            "#hashtag @mention ~tilde ^caret |pipe| \\backslash/ `tick` \"double\" 'single'",
            "!!!???...;;;:::,,,",
            "C# and F# run on .NET; C++ does not.",
            "Привет мир, как дела?",
            "Москва - столица России.",
            "Straße, groß und Fuß",
            "København og Ærø ligger i Danmark",
            "Łeba to miasto w Polsce",
            "œuvre et cœur",
            "مرحبا بالعالم",
            "שלום עולם",
            "The Ørsted wind farm near Aalborg",
            "ø æ ß ł œ đ ħ ı",
        };

        foreach (var subject in Subjects)
        {
            foreach (var verb in Verbs)
            {
                var obj = Objects[random.Next(Objects.Length)];
                inputs.Add($"{subject} {verb} {obj}.");
            }
        }

        // Punctuation-heavy variants of generated sentences.
        for (var i = 0; i < 90; i++)
        {
            var s = $"{Subjects[random.Next(Subjects.Length)]} {Verbs[random.Next(Verbs.Length)]} {Objects[random.Next(Objects.Length)]}";
            inputs.Add(random.Next(4) switch
            {
                0 => $"\"{s}\" -- really?!",
                1 => $"({s}); then: {random.Next(1000)} items/sec",
                2 => s.ToUpperInvariant() + "!!!",
                _ => $"{s}, {s.ToLowerInvariant()}... [{random.Next(100)}%]",
            });
        }

        // Long inputs: some within 512 tokens, some far beyond it (truncated by both encoders).
        for (var i = 0; i < 30; i++)
        {
            var words = new List<string>();
            var sentences = 5 + (i * 7);
            for (var j = 0; j < sentences; j++)
            {
                words.Add($"{Subjects[random.Next(Subjects.Length)]} {Verbs[random.Next(Verbs.Length)]} {Objects[random.Next(Objects.Length)]}.");
            }

            inputs.Add(string.Join(' ', words));
        }

        return inputs;
    }
}
