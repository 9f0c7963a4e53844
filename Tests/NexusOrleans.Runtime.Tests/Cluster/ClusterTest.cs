using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing;
using NexusOrleans.Testing.Cluster;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>
/// Base of tests with several silos in the test process, each listening on its own 127.0.0.1 port, all sharing one
/// store and one <see cref="ClusterMap"/> of partition owners (each silo with its own view of it).
/// </summary>
public abstract class ClusterTest : SiloTest
{
    protected ClusterMap Map { get; } = new();

    protected async Task<TestSilo> StartMemberAsync(SiloAddress address) =>
        await StartSiloOnStoreAsync(
            builder => builder.AddGrains(typeof(Probe).Assembly).UseCluster(options => options.Listen(address)),
            services => services.AddSingleton(Probe).AddInMemoryPartitionDirectory(Map));

    protected static InMemoryPartitionDirectory DirectoryOf(TestSilo silo) =>
        (InMemoryPartitionDirectory)silo.Host.Services.GetRequiredService<IPartitionDirectory>();

    /// <summary>An observer that records what it receives, for a test to wait on.</summary>
    protected sealed class RecordingObserver : IChatObserver
    {
        private readonly BlockingCollection<string> _received = [];

        public Task Receive(string message)
        {
            _received.Add(message);
            return Task.CompletedTask;
        }

        public Task<string> Next() => Task.Run(() => _received.TryTake(out var message, Timeout)
            ? message
            : throw new TimeoutException("no message arrived"));
    }
}
