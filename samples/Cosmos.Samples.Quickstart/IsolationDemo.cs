namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Isolation section of the quickstart.</summary>
internal static class IsolationDemo
{
    public static Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("(this section is not written yet)");
        return Task.CompletedTask;
    }
}
