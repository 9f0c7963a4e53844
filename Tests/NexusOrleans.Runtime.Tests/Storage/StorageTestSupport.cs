using Xunit;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>Helpers every storage test uses: bounded waits instead of sleeps, and fresh grain ids.</summary>
internal static class StorageTestSupport
{
    /// <summary>The longest any single storage step may take before a test fails instead of hanging.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(StepTimeout, Ct);

    public static Task WithTimeout(this Task task) => task.WaitAsync(StepTimeout, Ct);

    /// <summary>Waits (bounded) until every task has finished, whether it succeeded or not.</summary>
    public static async Task SettleAsync(this IEnumerable<Task> tasks)
    {
        var all = Task.WhenAll(tasks);
        try
        {
            await all.WithTimeout();
        }
        catch (Exception) when (all.IsCompleted)
        {
            // The callers inspect each task's own outcome.
        }
    }

    /// <summary>A grain id no other test uses.</summary>
    public static GrainId NewGrain(string type = "test.storage") => new(GrainType.Create(type), Guid.NewGuid().ToString("N"));

    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
