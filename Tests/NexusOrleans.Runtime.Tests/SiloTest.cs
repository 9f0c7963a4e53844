using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing;

namespace NexusOrleans.Runtime.Tests;

/// <summary>
/// Base of the runtime tests: starts silos hosting the test grains on a manual clock over one store (in-memory unless a
/// subclass picks SQLite or PostgreSQL), and stops them all at the end. A silo started later in a test reopens the same
/// store, which is how restarts are tested.
/// </summary>
public abstract class SiloTest : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly List<TestSilo> _silos = [];
    private TestStore? _store;

    protected Probe Probe { get; } = new();

    protected ManualTimeProvider Clock { get; } = new();

    protected virtual StoreKind Store => StoreKind.Memory;

    protected TestStore CurrentStore => _store ?? throw new InvalidOperationException("The store is created by InitializeAsync.");

    public virtual async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync(Store);

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

    protected async Task<TestSilo> StartSiloAsync(Action<GrainRuntimeOptions>? runtime = null, Action<ReminderOptions>? reminders = null)
    {
        var silo = await TestSilo.StartAsync(
            builder =>
            {
                builder.AddGrains(typeof(Probe).Assembly).UseStorage(_ => CurrentStore.CreateProvider());
                if (runtime is not null)
                {
                    builder.Configure(runtime);
                }

                if (reminders is not null)
                {
                    builder.ConfigureReminders(reminders);
                }
            },
            Clock,
            services => services.AddSingleton(Probe));
        _silos.Add(silo);
        return silo;
    }

    /// <summary>The storage provider a running silo uses, for reading and writing rows behind the grains' backs.</summary>
    protected static IStorageProvider StorageOf(TestSilo silo) => silo.Host.Services.GetRequiredService<IStorageProvider>();

    /// <summary>Waits for a condition that becomes true on another thread, without sleeping.</summary>
    protected static async Task Eventually(Func<Task<bool>> condition, string description)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true within {Timeout}: {description}");
            }

            await Task.Yield();
        }
    }
}
