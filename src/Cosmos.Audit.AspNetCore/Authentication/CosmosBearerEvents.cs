namespace Cosmos.Audit.AspNetCore.Authentication;

/// <summary>Hooks into the Cosmos bearer scheme, in the order a request meets them: the token is read
/// (<see cref="OnMessageReceived"/>), validated (<see cref="OnTokenValidated"/> or <see cref="OnAuthenticationFailed"/>), and a
/// caller who needs credentials is challenged (<see cref="OnChallenge"/>).</summary>
/// <remarks>Set the delegates, or derive and override the methods and name the type in
/// <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/>.</remarks>
public class CosmosBearerEvents
{
    private static readonly Func<CosmosBearerMessageReceivedContext, Task> NoMessageReceived = _ => Task.CompletedTask;
    private static readonly Func<CosmosBearerTokenValidatedContext, Task> NoTokenValidated = _ => Task.CompletedTask;

    /// <summary>Gets or sets the hook run before the token is read; set <see cref="CosmosBearerMessageReceivedContext.Token"/> to
    /// take it from elsewhere (for example the <c>access_token</c> query parameter of a WebSocket request).</summary>
    /// <value>The default value does nothing.</value>
    public Func<CosmosBearerMessageReceivedContext, Task> OnMessageReceived { get; set; } = NoMessageReceived;

    /// <summary>Gets or sets the hook run after a token was validated, with its user and principal; it may reject the request with
    /// <c>context.Fail(...)</c>.</summary>
    /// <value>The default value does nothing.</value>
    public Func<CosmosBearerTokenValidatedContext, Task> OnTokenValidated { get; set; } = NoTokenValidated;

    /// <summary>Gets or sets the hook run after a presented token was rejected, with the reason.</summary>
    /// <value>The default value does nothing.</value>
    public Func<CosmosBearerAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Gets or sets the hook run before the 401 challenge is written; call
    /// <see cref="CosmosBearerChallengeContext.HandleResponse"/> to write the response yourself.</summary>
    /// <value>The default value does nothing.</value>
    public Func<CosmosBearerChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Runs <see cref="OnMessageReceived"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes with the hook.</returns>
    public virtual Task MessageReceived(CosmosBearerMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Runs <see cref="OnTokenValidated"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes with the hook.</returns>
    public virtual Task TokenValidated(CosmosBearerTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Runs <see cref="OnAuthenticationFailed"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes with the hook.</returns>
    public virtual Task AuthenticationFailed(CosmosBearerAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Runs <see cref="OnChallenge"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes with the hook.</returns>
    public virtual Task Challenge(CosmosBearerChallengeContext context) => OnChallenge(context);

    // The handler builds a hook's context only when the hook can do something: these are false only for this very type with
    // the default delegates (a derived type may override the methods, so it is always called).
    internal bool HasMessageReceivedHook => GetType() != typeof(CosmosBearerEvents) || !ReferenceEquals(OnMessageReceived, NoMessageReceived);

    internal bool HasTokenValidatedHook => GetType() != typeof(CosmosBearerEvents) || !ReferenceEquals(OnTokenValidated, NoTokenValidated);
}
