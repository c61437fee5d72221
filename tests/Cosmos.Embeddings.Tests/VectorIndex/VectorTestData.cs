namespace Cosmos.Embeddings.Tests.VectorIndex;

internal static class VectorTestData
{
    public static float[][] Gaussian(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var rows = new float[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new float[dimensions];
            for (int j = 0; j < dimensions; j++)
            {
                // Box-Muller: isotropic directions, the hard case for quantised recall.
                double u1 = 1.0 - random.NextDouble();
                double u2 = random.NextDouble();
                rows[i][j] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
        }

        return rows;
    }

    /// <summary>Scalar oracle: cosine in double precision over every row, sorted by score descending then ordinal id.</summary>
    public static (string Id, double Score)[] BruteForce(IReadOnlyList<(string Id, float[] Vector)> entries, float[] query, int k)
    {
        double queryNorm = Math.Sqrt(query.Sum(v => (double)v * v));
        return entries
            .Select(e =>
            {
                double dot = 0, norm = 0;
                for (int j = 0; j < query.Length; j++)
                {
                    dot += (double)e.Vector[j] * query[j];
                    norm += (double)e.Vector[j] * e.Vector[j];
                }

                return (e.Id, Score: dot / (Math.Sqrt(norm) * queryNorm));
            })
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Id, StringComparer.Ordinal)
            .Take(k)
            .ToArray();
    }
}
