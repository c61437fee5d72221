namespace Cosmos.Audit.Log;

/// <summary>What one dead-letter replay did.</summary>
/// <param name="Written">Dead letters stored in the sink by this replay.</param>
/// <param name="AlreadyPresent">Dead letters the sink already held (an earlier write took effect despite its failure); dropped.</param>
/// <param name="Duplicates">Repeated copies of the same event id in the queue; dropped.</param>
/// <param name="Failed">Dead letters the sink failed again; they are back in the queue for the next replay.</param>
/// <param name="Unreadable">Lines that could not be read (corruption); their files are kept as <c>*.unreadable</c>.</param>
public readonly record struct AuditReplayResult(int Written, int AlreadyPresent, int Duplicates, int Failed, int Unreadable);
