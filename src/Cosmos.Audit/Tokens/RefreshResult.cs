namespace Cosmos.Audit.Tokens;

/// <summary>The outcome of <see cref="TokenIssuer.RefreshAsync(string, CancellationToken)"/>.</summary>
public sealed record RefreshResult
{
    private RefreshResult(RefreshFailureReason failure, TokenPair? tokens)
    {
        Failure = failure;
        Tokens = tokens;
    }

    /// <summary>Gets a value indicating whether new tokens were issued.</summary>
    public bool Succeeded => Failure == RefreshFailureReason.None;

    /// <summary>Gets why the refresh failed, or <see cref="RefreshFailureReason.None"/>.</summary>
    public RefreshFailureReason Failure { get; }

    /// <summary>Gets the new tokens; set only when <see cref="Succeeded"/>.</summary>
    public TokenPair? Tokens { get; }

    internal static RefreshResult Success(TokenPair tokens) => new(RefreshFailureReason.None, tokens);

    internal static RefreshResult Failed(RefreshFailureReason failure) => new(failure, null);
}
