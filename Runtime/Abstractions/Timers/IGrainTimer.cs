namespace NexusOrleans.Runtime;

/// <summary>A grain timer. Disposing it stops further ticks; a tick already running completes.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Reschedules the timer: next tick after <paramref name="dueTime"/>, then every <paramref name="period"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/> for none).</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
