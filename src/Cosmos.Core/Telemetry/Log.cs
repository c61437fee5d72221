using Microsoft.Extensions.Logging;

namespace Cosmos.Core.Telemetry;

// Cosmos.Core owns event ids 1000-1999: 1000-1099 memory, 1100-1199 execution. Ids are never reused once shipped.
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "The chunk pool released {ReleasedChunks} free chunk buffers at a GC memory load of {MemoryLoad:P0}.", EventName = "ChunkPoolTrimmed")]
    public static partial void ChunkPoolTrimmed(ILogger logger, int releasedChunks, double memoryLoad);

    [LoggerMessage(1100, LogLevel.Warning, "Node {NodeId} failed in a parallel run.", EventName = "NodeFailed")]
    public static partial void NodeFailed(ILogger logger, string nodeId, Exception exception);

    [LoggerMessage(1101, LogLevel.Debug, "Node {NodeId} is isolated and was bypassed.", EventName = "NodeBypassed")]
    public static partial void NodeBypassed(ILogger logger, string nodeId);
}
