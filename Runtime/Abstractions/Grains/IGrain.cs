namespace NexusOrleans.Runtime;

/// <summary>
/// Marker for grain interfaces. A grain is addressed by one of its interfaces and a string key;
/// every method of a grain interface returns <see cref="Task"/>, <see cref="Task{TResult}"/>,
/// <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>.
/// </summary>
/// <remarks>
/// Arguments and results are passed by reference between grains of one silo, without a copy:
/// use immutable types (records, strings, immutable collections) and never mutate what you sent or received.
/// </remarks>
public interface IGrain : IAddressable;

/// <summary>Anything the runtime can deliver a call to: a grain or an observer.</summary>
public interface IAddressable;
