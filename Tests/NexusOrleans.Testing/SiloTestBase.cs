using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Testing;

/// <summary>
/// Base of tests that run silos in the test process: a manual clock, one store (in-memory unless a subclass picks
/// SQLite or PostgreSQL) that every silo of the test reopens, which is how restarts are tested, and all silos stopped
/// at the end. Subclasses declare <c>IAsyncLifetime</c>; <see cref="InitializeAsync"/> and <see cref="DisposeAsync"/> implement it.
/// </summary>
public abstract class SiloTestBase
{
    /// <summary>How long <see cref="Eventually"/> waits.</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly List<TestSilo> _silos = [];
    private TestStore? _store;

    /// <summary>The clock of every silo of the test.</summary>
    protected ManualTimeProvider Clock { get; } = new();

    /// <summary>Which store the test runs on.</summary>
    protected virtual StoreKind Store => StoreKind.Memory;

    /// <summary>The test's store.</summary>
    protected TestStore CurrentStore => _store ?? throw new InvalidOperationException("The store is created by InitializeAsync.");

    /// <summary>Creates the store.</summary>
    public virtual async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync(Store);

    /// <summary>Stops every silo, then drops the store.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Starts a silo on the test's clock and store; <paramref name="configure"/> adds grains and settings.</summary>
    protected async Task<TestSilo> StartSiloOnStoreAsync(Action<GrainRuntimeBuilder> configure, Action<IServiceCollection>? services = null)
    {
        var store = CurrentStore;
        var silo = await TestSilo.StartAsync(
            builder =>
            {
                builder.UseStorage(_ => store.CreateProvider());
                configure(builder);
            },
            Clock,
            services);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>The storage provider a running silo uses, for reading and writing rows behind the grains' backs.</summary>
    protected static IStorageProvider StorageOf(TestSilo silo) => silo.Host.Services.GetRequiredService<IStorageProvider>();

    /// <summary>Waits for a condition that becomes true on another thread, without sleeping.</summary>
    protected static Task Eventually(Func<Task<bool>> condition, string description) => Poll.UntilAsync(condition, description, Timeout);
}
