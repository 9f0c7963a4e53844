using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.State;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Support;

/// <summary>
/// Base of the inbox tests: silos hosting the product's grains on a manual clock over one store (in-memory unless a
/// subclass picks SQLite or PostgreSQL), all stopped at the end. A silo started later in a test reopens the same store,
/// which is how restarts are tested; the helpers read what is stored behind the grain's back.
/// </summary>
public abstract class InboxSiloTest : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    protected static readonly TimeSpan SixHours = TimeSpan.FromHours(6);
    private readonly List<TestSilo> _silos = [];
    private TestStore? _store;

    protected ManualTimeProvider Clock { get; } = new();

    protected DateTimeOffset Now => Clock.GetUtcNow();

    protected virtual StoreKind Store => StoreKind.Memory;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

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

    protected async Task<TestSilo> StartSiloAsync(Action<InboxOptions>? inbox = null, Action<GrainRuntimeOptions>? runtime = null)
    {
        var store = _store ?? throw new InvalidOperationException("The store is created by InitializeAsync.");
        var silo = await TestSilo.StartAsync(
            builder =>
            {
                builder.AddGrains(typeof(GrainsAssembly).Assembly).UseStorage(_ => store.CreateProvider());
                if (runtime is not null)
                {
                    builder.Configure(runtime);
                }
            },
            Clock,
            services => services.AddInbox(inbox));
        _silos.Add(silo);
        return silo;
    }

    protected static IInboxGrain Inbox(TestSilo silo, string key) => silo.Grains.GetGrain<IInboxGrain>(key);

    protected static GrainId InboxId(string key) => new(GrainType.Create("inbox"), key);

    /// <summary>The stored row: null when none was ever written, a row with a null payload once cleared.</summary>
    protected static Task<GrainStateRecord?> StoredRowAsync(TestSilo silo, string key)
        => Storage(silo).GrainStorage.ReadAsync(InboxId(key), "state", Ct);

    /// <summary>The stored state, or null when there is none (never written, or cleared).</summary>
    protected static async Task<InboxState?> StoredStateAsync(TestSilo silo, string key)
        => await StoredRowAsync(silo, key) is { Payload: { } payload }
            ? silo.Host.Services.GetRequiredService<IGrainStateSerializer>().Deserialize<InboxState>(payload)
            : null;

    protected static Task<ReminderEntry?> StoredReminderAsync(TestSilo silo, string key)
        => Storage(silo).Reminders.ReadAsync(InboxId(key), InboxGrain.ExpiryReminder, Ct);

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

    /// <summary>Waits until the stored state is gone (cleared or never written) and no expiry reminder is stored.</summary>
    protected static Task EventuallyNothingStored(TestSilo silo, string key) => Eventually(
        async () => await StoredStateAsync(silo, key) is null && await StoredReminderAsync(silo, key) is null,
        "the inbox's state and expiry reminder are deleted");

    private static IStorageProvider Storage(TestSilo silo) => silo.Host.Services.GetRequiredService<IStorageProvider>();
}
