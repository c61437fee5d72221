using Cosmos.Core;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>Source-generated log messages of the isolation engine; EventIds are stable, in Cosmos.Isolation's range 2000-2499.</summary>
internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Node {NodeId} ({Layer}) changed from {Previous} to {Level} (impact {Impact:F3}, health {Health:F3}).", EventName = "LevelChanged")]
    public static partial void LevelChanged(ILogger logger, string nodeId, CosmicLayer layer, IsolationLevel previous, IsolationLevel level, double impact, double health);

    [LoggerMessage(2002, LogLevel.Warning, "Node {NodeId} ({Layer}) isolated: impact {Impact:F3} reached escape velocity {EscapeVelocity:F3}.", EventName = "NodeIsolated")]
    public static partial void NodeIsolated(ILogger logger, string nodeId, CosmicLayer layer, double impact, double escapeVelocity);

    [LoggerMessage(2003, LogLevel.Warning, "Node {NodeId} escalated to subtree isolation of {Dependents} dependents: cumulative velocity reached {Threshold:F3}.", EventName = "SubtreeIsolated")]
    public static partial void SubtreeIsolated(ILogger logger, string nodeId, int dependents, double threshold);

    [LoggerMessage(2004, LogLevel.Error, "Global isolation started (manual: {Manual}, independent failure share {Share:F3}).", EventName = "GlobalIsolationStarted")]
    public static partial void GlobalIsolationStarted(ILogger logger, bool manual, double share);

    [LoggerMessage(2005, LogLevel.Information, "Global isolation ended (independent failure share {Share:F3}).", EventName = "GlobalIsolationEnded")]
    public static partial void GlobalIsolationEnded(ILogger logger, double share);

    [LoggerMessage(2006, LogLevel.Information, "Node {NodeId} healed on fresh evidence (health {Health:F3}).", EventName = "NodeRecovered")]
    public static partial void NodeRecovered(ILogger logger, string nodeId, double health);

    [LoggerMessage(2007, LogLevel.Warning, "Node {NodeId} stays isolated until an operator releases it (fresh health {Health:F3}).", EventName = "NodeAwaitingRelease")]
    public static partial void NodeAwaitingRelease(ILogger logger, string nodeId, double health);

    [LoggerMessage(2008, LogLevel.Warning, "Node {NodeId} isolated by an operator ({Scope}).", EventName = "ManualIsolation")]
    public static partial void ManualIsolation(ILogger logger, string nodeId, IsolationScope scope);

    [LoggerMessage(2009, LogLevel.Information, "Node {NodeId} released.", EventName = "NodeReleased")]
    public static partial void NodeReleased(ILogger logger, string nodeId);

    [LoggerMessage(2010, LogLevel.Information, "Every node and the global breaker released.", EventName = "AllReleased")]
    public static partial void AllReleased(ILogger logger);

    [LoggerMessage(2011, LogLevel.Information, "Node {NodeId} ({Layer}) added.", EventName = "NodeAdded")]
    public static partial void NodeAdded(ILogger logger, string nodeId, CosmicLayer layer);

    [LoggerMessage(2012, LogLevel.Information, "Node {NodeId} removed.", EventName = "NodeRemoved")]
    public static partial void NodeRemoved(ILogger logger, string nodeId);

    [LoggerMessage(2013, LogLevel.Information, "Isolation options reloaded (windows restarted: {WindowsRestarted}); breaker states kept.", EventName = "OptionsReloaded")]
    public static partial void OptionsReloaded(ILogger logger, bool windowsRestarted);

    [LoggerMessage(2014, LogLevel.Error, "Isolation evaluation failed.", EventName = "EvaluationFailed")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception);

    [LoggerMessage(2015, LogLevel.Information, "Circuit breaker of node {NodeId} is now {State} (manual: {Manual}).", EventName = "BreakerChanged")]
    public static partial void BreakerChanged(ILogger logger, string nodeId, CircuitState state, bool manual);

    [LoggerMessage(2016, LogLevel.Debug, "Probe of node {NodeId} failed.", EventName = "ProbeFailed")]
    public static partial void ProbeFailed(ILogger logger, string nodeId, Exception exception);
}
