namespace Cosmos.Embeddings.Onnx.Internal;

/// <summary>
/// The texts the int8 path runs through the float model once at load to learn each activation's per-channel range. Outlier
/// channels are a property of the trained weights, not of the input, so a few dozen varied texts find them: short and long,
/// questions and statements, code, numbers, punctuation and several scripts.
/// </summary>
internal static class CalibrationCorpus
{
    public static IReadOnlyList<string> Texts { get; } =
    [
        "Yes.",
        "thanks!",
        "Where is the nearest train station?",
        "The meeting has been moved to Thursday at 3 pm.",
        "A quick brown fox jumps over the lazy dog.",
        "Please reset my password; I no longer have access to the old phone.",
        "How do I convert a list of strings to a dictionary in Python?",
        "The invoice total was $1,249.99 including VAT at 20%.",
        "Error 503: the upstream service is temporarily unavailable, retry after 30 seconds.",
        "SELECT id, name FROM customers WHERE created_at > '2024-01-01' ORDER BY name;",
        "public static int Add(int a, int b) => a + b;",
        "The mitochondria is the powerhouse of the cell.",
        "Photosynthesis converts light energy into chemical energy stored in glucose.",
        "She walked along the beach at sunset, listening to the waves.",
        "Interest rates rose for the third consecutive quarter as inflation stayed high.",
        "The patient reported mild headaches and occasional dizziness after the new medication.",
        "Our team shipped the release two weeks ahead of schedule.",
        "Can you recommend a good Italian restaurant downtown?",
        "The contract may be terminated by either party with thirty days' written notice.",
        "Water boils at 100 degrees Celsius at sea level.",
        "I love this phone, but the battery barely lasts a day.",
        "The referee's decision sparked protests from both teams' supporters.",
        "Machine learning models can overfit when the training data is small.",
        "???",
        "...and then nothing happened.",
        "WARNING: disk usage above 90% on /var/lib/data",
        "https://example.com/docs/getting-started?lang=en#install",
        "user@example.org wrote: see the attached report (v2, final).",
        "3.14159 2.71828 1.41421 1.61803",
        "Order #48213 shipped via express courier on 2025-03-14.",
        "Café au lait, crème brûlée and piñata are loanwords in English.",
        "Der schnelle braune Fuchs springt über den faulen Hund.",
        "La réunion est reportée à la semaine prochaine.",
        "El tiempo mañana será soleado con algunas nubes por la tarde.",
        "Привет, как дела? Давно не виделись.",
        "東京は日本の首都です。",
        "今天天气很好，我们去公园散步吧。",
        "안녕하세요, 만나서 반갑습니다.",
        "مرحبا، كيف حالك اليوم؟",
        "Γειά σου κόσμε",
        "The committee, after lengthy deliberation over several sessions, concluded that the proposal required further study of its long-term budgetary implications before any vote could be held.",
        "In the early nineteenth century, the expansion of railways transformed trade, allowing goods that once took weeks to travel across the country to arrive in a matter of days, and reshaping the towns along the lines.",
        "To install the package, add it to your project file, restore, and call the registration method in your start-up code; the options are validated when the host starts, so a misconfiguration fails fast instead of at the first request.",
        "Tokyo, Paris, New York, London, Berlin, Seoul, Cairo, Lima, Sydney, Toronto, Mumbai, Lagos",
        "lol ok see u tmrw",
        "Is it possible to cancel an order after it has been dispatched?",
        "The quarterly report shows revenue growth of 12% year over year, driven mainly by subscriptions.",
        "Never gonna give you up, never gonna let you down.",
    ];
}
