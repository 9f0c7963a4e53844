namespace NexusOrleans.Runtime;

/// <summary>
/// Base class of every grain. The runtime creates one instance per activation (constructor injection works for
/// registered services), attaches it to its activation, loads its state, then calls <see cref="OnActivateAsync"/>
/// before the first queued call runs. All the grain's code runs one turn at a time; never block a thread in it and
/// never use <c>ConfigureAwait(false)</c>, which would leave the activation's single-threaded context.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    /// <summary>The activation this grain belongs to.</summary>
    protected IGrainContext Context => _context ?? throw new InvalidOperationException(
        $"{GetType().Name} is not attached to an activation yet: runtime services are available from OnActivateAsync on, not in the constructor.");

    /// <summary>This grain's identity.</summary>
    public GrainId GrainId => Context.GrainId;

    /// <summary>This grain's key.</summary>
    protected string Key => Context.GrainId.Key;

    /// <summary>For calling other grains.</summary>
    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>The silo's clock. Use it for every reading of time so tests can drive it.</summary>
    protected TimeProvider TimeProvider => Context.TimeProvider;

    /// <summary>Runs once per activation, after state is loaded and before any call. A throw fails the activation:
    /// the queued calls fail with <see cref="GrainActivationException"/> and the next call tries a fresh activation.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once when the activation is deactivated, as its last turn. Writes awaited here are durable.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Registers a timer. Each tick runs as a turn of this activation (never alongside a call), the next tick is
    /// scheduled only after the previous one completes, and the timer dies with the activation. Ticks do not count
    /// as calls: a grain with only timer activity is still collected when idle. Use a reminder for anything that must
    /// happen even if the grain is not active. Pass <see cref="Timeout.InfiniteTimeSpan"/> as period for a single tick.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
        => Context.RegisterTimer(callback, dueTime, period);

    /// <summary>
    /// Registers (or changes) a durable reminder: stored, it survives deactivation and silo restarts and activates the
    /// grain when due by calling <see cref="IRemindable.ReceiveReminder"/>. Delivery is at least once; see <see cref="IRemindable"/>.
    /// </summary>
    protected Task<IGrainReminder> RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period)
        => Context.Reminders.RegisterOrUpdateAsync(reminderName, dueTime, period);

    /// <summary>Removes a reminder; does nothing when it does not exist.</summary>
    protected Task UnregisterReminder(string reminderName) => Context.Reminders.UnregisterAsync(reminderName);

    /// <summary>The reminder with this name, or null.</summary>
    protected Task<IGrainReminder?> GetReminder(string reminderName) => Context.Reminders.GetAsync(reminderName);

    /// <summary>Deactivates this grain once the current turn completes.</summary>
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();

    /// <summary>A reference to this grain through another of its interfaces, to hand to other grains.</summary>
    protected TGrainInterface AsReference<TGrainInterface>()
        where TGrainInterface : IAddressable
        => Context.GrainFactory.GetGrain<TGrainInterface>(Context.GrainId);

    internal void Attach(IGrainContext context) => _context = context;
}
