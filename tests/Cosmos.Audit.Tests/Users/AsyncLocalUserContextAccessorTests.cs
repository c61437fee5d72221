using Cosmos.Audit.Users;

namespace Cosmos.Audit.Tests.Users;

public sealed class AsyncLocalUserContextAccessorTests
{
    private static readonly UserContext Alice = new("alice123", "alice.smith") { Roles = ["editor"] };
    private static readonly UserContext Bob = new("bob7", "bob");

    [Fact]
    public void Current_OutsideAnyScope_IsNull()
    {
        Assert.Null(new AsyncLocalUserContextAccessor().Current);
    }

    [Fact]
    public void Use_NestedScopes_RestoresOuterUserOnDispose()
    {
        var accessor = new AsyncLocalUserContextAccessor();
        using (accessor.Use(Alice))
        {
            Assert.Same(Alice, accessor.Current);
            using (accessor.Use(Bob))
            {
                Assert.Same(Bob, accessor.Current);
            }

            Assert.Same(Alice, accessor.Current);
        }

        Assert.Null(accessor.Current);
    }

    [Fact]
    public async Task Use_AcrossAwaits_UserFlowsAndIsRestored()
    {
        var accessor = new AsyncLocalUserContextAccessor();
        using (accessor.Use(Alice))
        {
            await Task.Yield();
            Assert.Same(Alice, accessor.Current);
            await Task.Delay(1);
            Assert.Same(Alice, await Task.Run(() => accessor.Current));
        }

        await Task.Yield();
        Assert.Null(accessor.Current);
    }

    [Fact]
    public async Task Use_ParallelTasks_EachTaskSeesOnlyItsOwnUser()
    {
        var accessor = new AsyncLocalUserContextAccessor();
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var user = new UserContext($"u{i}", $"user{i}");
            using (accessor.Use(user))
            {
                for (var step = 0; step < 5; step++)
                {
                    await Task.Yield();
                    if (!ReferenceEquals(accessor.Current, user))
                    {
                        return false;
                    }
                }
            }

            return accessor.Current is null;
        })));

        Assert.All(results, Assert.True);
    }

    [Fact]
    public async Task Use_InsideChildTask_DoesNotLeakToParent()
    {
        var accessor = new AsyncLocalUserContextAccessor();
        using (accessor.Use(Alice))
        {
            await Task.Run(() =>
            {
                // Deliberately not disposed: the change must stay inside the child's execution context.
                _ = accessor.Use(Bob);
                Assert.Same(Bob, accessor.Current);
            });

            Assert.Same(Alice, accessor.Current);
        }
    }

    [Fact]
    public void Dispose_Twice_DoesNotOverwriteALaterScope()
    {
        var accessor = new AsyncLocalUserContextAccessor();
        var outer = accessor.Use(Alice);
        outer.Dispose();
        using (accessor.Use(Bob))
        {
            outer.Dispose();
            Assert.Same(Bob, accessor.Current);
        }
    }

    [Fact]
    public void Use_NullUser_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new AsyncLocalUserContextAccessor().Use(null!));
    }

    [Fact]
    public void UserContext_EmptyIds_Throw()
    {
        Assert.Throws<ArgumentException>(() => new UserContext("", "name"));
        Assert.Throws<ArgumentException>(() => new UserContext("id", ""));
        Assert.Throws<ArgumentException>(() => new Delegation(""));
    }
}
