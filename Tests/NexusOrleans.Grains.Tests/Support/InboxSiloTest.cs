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
public abstract class InboxSiloTest : SiloTestBase, IAsyncLifetime
{
    protected static readonly TimeSpan SixHours = TimeSpan.FromHours(6);

    protected DateTimeOffset Now => Clock.GetUtcNow();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected Task<TestSilo> StartSiloAsync(Action<InboxOptions>? inbox = null, Action<GrainRuntimeOptions>? runtime = null) =>
        StartSiloOnStoreAsync(
            builder =>
            {
                builder.AddGrains(typeof(GrainsAssembly).Assembly);
                if (runtime is not null)
                {
                    builder.Configure(runtime);
                }
            },
            services => services.AddInbox(inbox));

    protected static IInboxGrain Inbox(TestSilo silo, string key) => silo.Grains.GetGrain<IInboxGrain>(key);

    protected static GrainId InboxId(string key) => new(GrainType.Create("inbox"), key);

    /// <summary>The stored row: null when none was ever written, a row with a null payload once cleared.</summary>
    protected static Task<GrainStateRecord?> StoredRowAsync(TestSilo silo, string key)
        => StorageOf(silo).GrainStorage.ReadAsync(InboxId(key), "state", Ct);

    /// <summary>The stored state, or null when there is none (never written, or cleared).</summary>
    protected static async Task<InboxState?> StoredStateAsync(TestSilo silo, string key)
        => await StoredRowAsync(silo, key) is { Payload: { } payload }
            ? silo.Host.Services.GetRequiredService<IGrainStateSerializer>().Deserialize<InboxState>(payload)
            : null;

    protected static Task<ReminderEntry?> StoredReminderAsync(TestSilo silo, string key)
        => StorageOf(silo).Reminders.ReadAsync(InboxId(key), InboxGrain.ExpiryReminder, Ct);

    /// <summary>Waits until the stored state is gone (cleared or never written) and no expiry reminder is stored.</summary>
    protected static Task EventuallyNothingStored(TestSilo silo, string key) => Eventually(
        async () => await StoredStateAsync(silo, key) is null && await StoredReminderAsync(silo, key) is null,
        "the inbox's state and expiry reminder are deleted");
}
