using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.Hosting;

/// <summary>
/// Starts and stops the silo's grain runtime with the host.
/// </summary>
/// <remarks>
/// <para><b>Start:</b> open storage (creating or upgrading its schema) before anything else, so a silo whose storage is
/// unreachable fails to start with a <see cref="StorageUnavailableException"/> naming the store; then join the cluster
/// and take the first view of partition ownership (a single silo owns everything at once), so no call is served before
/// the silo knows what it owns; then take calls, load reminders, and start idle collection.</para>
/// <para><b>Graceful stop</b>, within <see cref="GrainRuntimeOptions.ShutdownTimeout"/> by the silo's clock: stop reminders
/// and collection; refuse calls from outside; let every activation finish the calls it accepted and run its deactivation
/// hook (deactivation hooks may still call grains; the silo is marked leaving first, so no partition is assigned to it
/// meanwhile, but its leases stay valid for those last writes); then leave the cluster, releasing every lease so other
/// silos take the partitions at once; close silo-to-silo connections (calls other processes still await from here fail
/// as interrupted); then dispose storage, which commits every write still queued.
/// When the deadline passes, calls still queued fail with <see cref="SiloUnavailableException"/> rather than hang.</para>
/// </remarks>
internal sealed partial class SiloLifecycle(GrainRuntime runtime, TimeProvider timeProvider, ILogger<SiloLifecycle> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var storage = runtime.Storage;
        await runtime.OpenStorageAsync(cancellationToken);
        if (runtime.Cluster is { } cluster)
        {
            await cluster.JoinAsync(cancellationToken);
        }

        runtime.Catalog.Start();
        runtime.Transport?.Start();
        await runtime.Reminders.StartAsync(cancellationToken);
        runtime.Collector.Start();
        LogStarted(logger, storage.Name, storage.Location, runtime.Types.Classes.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var activations = runtime.Catalog.Count;
        using var byClock = new CancellationTokenSource(runtime.Options.ShutdownTimeout, timeProvider);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, byClock.Token);

        runtime.Reminders.Stop();
        runtime.Collector.Dispose();
        var joined = runtime.Catalog.Phase == Catalog.SiloPhase.Running;
        if (joined && runtime.Cluster is { } leaving)
        {
            await leaving.BeginLeavingAsync(deadline.Token);
        }

        if (joined)
        {
            await runtime.Catalog.DeactivateAllAsync(deadline.Token);
        }

        if (joined && runtime.Cluster is { } cluster)
        {
            try
            {
                await cluster.LeaveAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // Past the deadline the leases are left to expire; the storage below is still flushed.
            }
        }

        if (runtime.Transport is { } transport)
        {
            await transport.DisposeAsync();
        }

        await runtime.Storage.DisposeAsync();
        LogStopped(logger, activations, timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Silo started: storage {Storage} at {Location}, {GrainTypes} grain types")]
    private static partial void LogStarted(ILogger logger, string storage, string location, int grainTypes);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Information, Message = "Silo stopped: {Activations} activations deactivated in {ElapsedMs:F0} ms")]
    private static partial void LogStopped(ILogger logger, int activations, double elapsedMs);
}
