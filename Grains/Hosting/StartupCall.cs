using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Hosting;

/// <summary>
/// A grain call a silo makes while it starts (seeding the epoch scheduler, minting the genesis allocation), retried while
/// the cluster is still settling. In a cluster the grain may live on a silo that has just taken its partition and is
/// not listening yet, or whose partition is moving (a silo declared dead while it was slow to start hands everything
/// back); those calls fail with a retryable error, and failing the host for
/// them would crash a silo that merely started next to others. The calls are idempotent, so a retry after an
/// interrupted call is safe. A call that keeps failing for <see cref="Budget"/> fails the start with its last error.
/// </summary>
public static partial class StartupCall
{
    /// <summary>How long a start-up call keeps being retried.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="call"/>, retrying retryable cluster errors with back-off for up to <see cref="Budget"/>.</summary>
    public static async Task RunAsync(Func<Task> call, string what, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception exception) when (IsRetryable(exception) && time.GetElapsedTime(started) + delay < Budget)
            {
                LogRetrying(logger, what, exception.GetType().Name, exception.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
            }
        }
    }

    private static bool IsRetryable(Exception exception)
        => exception is SiloUnavailableException or CallInterruptedException or TimeoutException;

    [LoggerMessage(EventId = 3901, Level = LogLevel.Information, Message = "Start-up call ({What}) failed with {ExceptionType}: {Reason}; retrying in {DelayMs:F0} ms while the cluster settles")]
    private static partial void LogRetrying(ILogger logger, string what, string exceptionType, string reason, double delayMs);
}
