namespace NexusOrleans.Runtime;

/// <summary>The runtime services of one activation, as seen by its grain.</summary>
public interface IGrainContext
{
    /// <summary>The grain's identity.</summary>
    GrainId GrainId { get; }

    /// <summary>For calling other grains.</summary>
    IGrainFactory GrainFactory { get; }

    /// <summary>The silo's clock; tests replace it with a manual one.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>The silo's services.</summary>
    IServiceProvider Services { get; }

    /// <summary>Durable reminders of this grain.</summary>
    IGrainReminderRegistry Reminders { get; }

    /// <summary>Registers a timer whose ticks run as turns of this activation. See <see cref="Grain.RegisterGrainTimer"/>.</summary>
    IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period);

    /// <summary>Deactivates the grain once the current turn ends; calls that are still queued go to a new activation.</summary>
    void DeactivateOnIdle();
}
