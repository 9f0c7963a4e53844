using System.Reflection;

namespace NexusOrleans.CodeGenerator.Tests.Support;

/// <summary>Calls an interface method on a proxy whose interface exists only in a dynamically compiled assembly.</summary>
internal static class ProxyCalls
{
    /// <summary>Starts the call and returns the task the caller would await, without awaiting it.</summary>
    public static Task Start(object proxy, Type interfaceType, string method, params object?[] arguments)
    {
        var info = interfaceType.GetMethod(method)
            ?? throw new ArgumentException($"{interfaceType.Name} has no method {method}.", nameof(method));
        var returned = info.Invoke(proxy, arguments);
        return returned switch
        {
            Task task => task,
            ValueTask valueTask => valueTask.AsTask(),
            not null => (Task)returned.GetType().GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!,
            null => throw new InvalidOperationException($"{interfaceType.Name}.{method} returned null."),
        };
    }

    /// <summary>Calls the method and returns its result (null for Task and ValueTask methods).</summary>
    public static async Task<object?> CallAsync(object proxy, Type interfaceType, string method, params object?[] arguments)
    {
        var task = Start(proxy, interfaceType, method, arguments);
        await task;
        var returnsValue = interfaceType.GetMethod(method)!.ReturnType.IsGenericType;
        return returnsValue ? task.GetType().GetProperty(nameof(Task<int>.Result), BindingFlags.Public | BindingFlags.Instance)!.GetValue(task) : null;
    }
}
