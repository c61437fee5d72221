using Cosmos.Audit.Tokens;

namespace Cosmos.Audit.Tests.Tokens;

public sealed class InMemoryRefreshTokenStoreTests : RefreshTokenStoreContractTests
{
    protected override IRefreshTokenStore Store { get; } = new InMemoryRefreshTokenStore();
}
