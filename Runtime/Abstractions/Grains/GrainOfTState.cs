namespace NexusOrleans.Runtime;

/// <summary>
/// A grain with persistent state. The state is read before <see cref="Grain.OnActivateAsync"/> and written only
/// when the grain calls <see cref="WriteStateAsync"/>. A write carries the version it was based on; when another
/// writer changed the stored row since, the write fails with <see cref="InconsistentStateException"/> and nothing changes.
/// </summary>
/// <typeparam name="TState">Serialized with System.Text.Json; public settable properties or a record.</typeparam>
public abstract class Grain<TState> : Grain, IStatefulGrain
    where TState : new()
{
    private IPersistentState<TState>? _state;

    /// <summary>The grain's state object.</summary>
    protected TState State
    {
        get => PersistentState.State;
        set => PersistentState.State = value;
    }

    /// <summary>The state with its version and storage operations.</summary>
    protected IPersistentState<TState> PersistentState => _state ?? throw new InvalidOperationException(
        $"{GetType().Name} has no state yet: state is available from OnActivateAsync on, not in the constructor.");

    Type IStatefulGrain.StateType => typeof(TState);

    /// <summary>Writes <see cref="State"/>; completes once the write is durable.</summary>
    protected Task WriteStateAsync() => PersistentState.WriteStateAsync();

    /// <summary>Replaces <see cref="State"/> with what is stored.</summary>
    protected Task ReadStateAsync() => PersistentState.ReadStateAsync();

    /// <summary>Clears the stored state and resets <see cref="State"/> to a new instance.</summary>
    protected Task ClearStateAsync() => PersistentState.ClearStateAsync();

    void IStatefulGrain.AttachState(object persistentState) => _state = (IPersistentState<TState>)persistentState;
}

/// <summary>Lets the runtime find and attach the state of a <see cref="Grain{TState}"/>.</summary>
internal interface IStatefulGrain
{
    Type StateType { get; }

    void AttachState(object persistentState);
}
