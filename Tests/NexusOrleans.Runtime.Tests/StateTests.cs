using System.Text;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing;

namespace NexusOrleans.Runtime.Tests;

/// <summary>Persistent state with versions, on every storage provider.</summary>
public abstract class StateTests : SiloTest
{
    private static readonly GrainId Counter = new(GrainType.Create("counter"), "k");

    [Fact]
    public async Task State_IsLoadedBeforeTheActivationHookOfTheNextActivation()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("k");
        await grain.Increment();
        await grain.Increment();
        await grain.Deactivate();
        await Probe.WaitFor("deactivate:k:ApplicationRequested");

        Assert.Equal(2, await grain.Get());
        Assert.Equal(["activate:k:0", "activate:k:2"], Probe.Events.Where(e => e.StartsWith("activate:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task State_SurvivesASiloRestart()
    {
        var first = await StartSiloAsync();
        await first.Grains.GetGrain<ICounterGrain>("k").Increment();
        await first.Grains.GetGrain<ICounterGrain>("k").Increment();
        await first.StopAsync();

        var second = await StartSiloAsync();

        Assert.Equal(2, await second.Grains.GetGrain<ICounterGrain>("k").Get());
    }

    [Fact]
    public async Task Write_BasedOnAStaleVersion_FailsWithAConflictAndChangesNothing()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("k");
        await grain.Increment();
        var storage = StorageOf(silo).GrainStorage;
        var held = await storage.ReadAsync(Counter, "state", CancellationToken.None);
        var foreignETag = await storage.WriteAsync(
            new GrainStateWrite(Counter, "state", Encoding.UTF8.GetBytes("""{"Value":100}"""), held!.ETag), CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Increment());

        Assert.Contains("counter/k", conflict.Message, StringComparison.Ordinal);
        var stored = await storage.ReadAsync(Counter, "state", CancellationToken.None);
        Assert.Equal(foreignETag, stored!.ETag);
        Assert.Equal("""{"Value":100}""", Encoding.UTF8.GetString(stored.Payload!));
    }

    [Fact]
    public async Task ClearState_ResetsTheStateAndLeavesNothingToReload()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("k");
        await grain.Increment();

        await grain.Clear();

        Assert.Equal(0, await grain.Get());
        await grain.Deactivate();
        await Probe.WaitFor("deactivate:k:ApplicationRequested");
        Assert.Equal(0, await grain.Get());
        var stored = await StorageOf(silo).GrainStorage.ReadAsync(Counter, "state", CancellationToken.None);
        Assert.Null(stored!.Payload);
        Assert.Equal(1, await grain.Increment());
    }

    [Fact]
    public async Task CorruptStateRow_FailsActivationNamingTheGrainAndLeavesTheRowAlone()
    {
        var silo = await StartSiloAsync();
        var storage = StorageOf(silo).GrainStorage;
        var corrupt = Encoding.UTF8.GetBytes("{ this is not json");
        var eTag = await storage.WriteAsync(new GrainStateWrite(Counter, "state", corrupt, null), CancellationToken.None);

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => silo.Grains.GetGrain<ICounterGrain>("k").Get());

        Assert.Contains("counter/k", error.Message, StringComparison.Ordinal);
        Assert.Contains("reading its state", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<GrainActivationException>(() => silo.Grains.GetGrain<ICounterGrain>("k").Increment());
        var stored = await storage.ReadAsync(Counter, "state", CancellationToken.None);
        Assert.Equal(eTag, stored!.ETag);
        Assert.Equal(corrupt, stored.Payload);
        Assert.Equal(0, silo.Status.ActivationCount);
    }

    [Fact]
    public async Task WriteInTheDeactivationHook_IsDurableWhenDeactivationEnds()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("k");
        await grain.WriteOnDeactivate(7);

        await grain.Deactivate();
        await Probe.WaitFor("deactivate:k:ApplicationRequested");

        Assert.Equal(7, await grain.Get());
    }

    [Fact]
    public async Task WriteInTheDeactivationHook_DuringShutdown_IsThereAfterRestart()
    {
        var first = await StartSiloAsync();
        await first.Grains.GetGrain<ICounterGrain>("k").WriteOnDeactivate(9);
        await first.StopAsync();

        var second = await StartSiloAsync();

        Assert.Equal(9, await second.Grains.GetGrain<ICounterGrain>("k").Get());
    }

    [Fact]
    public async Task CompletedWrite_SurvivesIdleCollection()
    {
        var silo = await StartSiloAsync(options => options.CollectionAge = TimeSpan.FromMinutes(2));
        var grain = silo.Grains.GetGrain<ICounterGrain>("k");
        await grain.Increment();

        Clock.Advance(TimeSpan.FromMinutes(3));
        await Probe.WaitFor("deactivate:k:IdleCollection");

        Assert.Equal(1, await grain.Get());
    }

    [Fact]
    public async Task ConcurrentIncrements_AreAllWrittenInOrder()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("k");

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => grain.Increment())).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(1, 50), results.Order());
        var stored = await StorageOf(silo).GrainStorage.ReadAsync(Counter, "state", CancellationToken.None);
        Assert.Equal("""{"Value":50}""", Encoding.UTF8.GetString(stored!.Payload!));
    }
}

public sealed class StateTestsInMemory : StateTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class StateTestsOnSqlite : StateTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}

public sealed class StateTestsOnPostgres : StateTests
{
    protected override StoreKind Store => StoreKind.Postgres;
}
