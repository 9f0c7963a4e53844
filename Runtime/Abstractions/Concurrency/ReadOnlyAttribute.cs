namespace NexusOrleans.Runtime.Concurrency;

/// <summary>
/// Marks a grain interface method as read-only: calls to it may interleave with other read-only calls
/// on the same activation (while one awaits, another runs), but never with a call to a method without this
/// attribute, with a timer tick, or with activation and deactivation. Grain code still runs on one thread at a time.
/// The method must not change the grain's state; nothing checks that for you.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class ReadOnlyAttribute : Attribute;
