namespace NexusOrleans.Testing;

/// <summary>
/// Waits for a condition that becomes true on another thread, without sleeping: it yields between checks and gives up
/// after a deadline, naming what it waited for.
/// </summary>
public static class Poll
{
    /// <summary>How long a test waits for something the system does in the background, unless it says otherwise.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(20);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="description"/> otherwise.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string description, TimeSpan? patience = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var wait = patience ?? DefaultPatience;
        var deadline = DateTime.UtcNow + wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true within {wait}: {description}");
            }

            await Task.Yield();
        }
    }

    /// <summary>The same for a condition that needs no awaiting.</summary>
    public static Task UntilAsync(Func<bool> condition, string description, TimeSpan? patience = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), description, patience);
    }
}
