namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Core layers and math section of the quickstart.</summary>
internal static class CoreMathDemo
{
    public static Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("(this section is not written yet)");
        return Task.CompletedTask;
    }
}
