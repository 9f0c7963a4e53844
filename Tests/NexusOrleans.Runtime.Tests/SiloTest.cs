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
public abstract class SiloTest : SiloTestBase, IAsyncLifetime
{
    protected Probe Probe { get; } = new();

    protected async Task<TestSilo> StartSiloAsync(Action<GrainRuntimeOptions>? runtime = null, Action<ReminderOptions>? reminders = null) =>
        await StartSiloOnStoreAsync(
            builder =>
            {
                builder.AddGrains(typeof(Probe).Assembly);
                if (runtime is not null)
                {
                    builder.Configure(runtime);
                }

                if (reminders is not null)
                {
                    builder.ConfigureReminders(reminders);
                }
            },
            services => services.AddSingleton(Probe));
}
