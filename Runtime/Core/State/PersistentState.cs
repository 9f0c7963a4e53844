using System.Collections.Concurrent;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.State;

/// <summary>Lets the activation read the state without knowing its type.</summary>
internal interface IStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The state of one activation and its stored version. Reads and writes go straight to storage; a write completes
/// when the storage says it is durable. A row that cannot be deserialized fails the read with an error naming the grain,
/// and nothing is written back. Every write and clear carries the owner fence of the grain's partition, taken from the
/// directory at that moment; a silo that does not hold the partition fails at once, and one the store refuses as stale
/// steps down from the partition (the caller sees <see cref="StaleOwnerException"/> either way).
/// </summary>
internal sealed class PersistentState<TState>(
    GrainId grainId, string stateName, IGrainStorage storage, IGrainStateSerializer serializer, IPartitionDirectory partitions)
    : IPersistentState<TState>, IStateLoader
    where TState : new()
{
    public TState State { get; set; } = new();

    public string? ETag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var record = await storage.ReadAsync(grainId, stateName, cancellationToken);
        if (record?.Payload is not { } payload)
        {
            State = new TState();
            ETag = record?.ETag;
            RecordExists = false;
            return;
        }

        try
        {
            State = serializer.Deserialize<TState>(payload);
        }
        catch (Exception exception)
        {
            throw new InvalidDataException(
                $"Stored state '{stateName}' of grain {grainId} (version {record.ETag}) cannot be read as {typeof(TState).Name}: " +
                $"{exception.Message} The row was left unchanged.", exception);
        }

        ETag = record.ETag;
        RecordExists = true;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = serializer.Serialize(State);
        var fence = OwnerFences.For(partitions, grainId);
        try
        {
            ETag = await storage.WriteAsync(new GrainStateWrite(grainId, stateName, payload, ETag, fence), cancellationToken);
        }
        catch (StaleOwnerException)
        {
            OwnerFences.StepDown(partitions);
            throw;
        }

        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        var fence = OwnerFences.For(partitions, grainId);
        try
        {
            ETag = await storage.ClearAsync(new GrainStateClear(grainId, stateName, ETag, fence), cancellationToken);
        }
        catch (StaleOwnerException)
        {
            OwnerFences.StepDown(partitions);
            throw;
        }

        State = new TState();
        RecordExists = false;
    }
}

/// <summary>Creates <see cref="PersistentState{TState}"/> for a state type known only at run time.</summary>
internal sealed class PersistentStateFactory(IGrainStorage storage, IGrainStateSerializer serializer, IPartitionDirectory partitions)
{
    /// <summary>The name of the single state of a <see cref="Grain{TState}"/>.</summary>
    public const string DefaultStateName = "state";

    private readonly ConcurrentDictionary<Type, Func<GrainId, IStateLoader>> _constructors = new();

    public IStateLoader Create(Type stateType, GrainId grainId)
        => _constructors.GetOrAdd(stateType, CreateConstructor)(grainId);

    private Func<GrainId, IStateLoader> CreateConstructor(Type stateType)
    {
        var method = typeof(PersistentStateFactory).GetMethod(nameof(CreateTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(stateType);
        return method.CreateDelegate<Func<GrainId, IStateLoader>>(this);
    }

    private IStateLoader CreateTyped<TState>(GrainId grainId)
        where TState : new()
        => new PersistentState<TState>(grainId, DefaultStateName, storage, serializer, partitions);
}
