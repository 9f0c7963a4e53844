namespace NexusOrleans.CodeGenerator.Tests.Sources;

/// <summary>A grain interface and a hand-written grain implementing it, compiled together with their proxy.</summary>
internal static class CalculatorGrain
{
    public const string Interface = "Behaviour.ICalculator";
    public const string FirstBase = "Behaviour.IFirstName";
    public const string SecondBase = "Behaviour.ISecondName";
    public const string Implementation = "Behaviour.Calculator";

    public const string Source = """
        using System;
        using System.Threading.Tasks;
        using NexusOrleans.Runtime;
        using NexusOrleans.Runtime.Concurrency;

        namespace Behaviour
        {
            public interface IFirstName : IGrain
            {
                Task<string> Name();
            }

            public interface ISecondName : IGrain
            {
                Task<string> Name();
            }

            public interface ICalculator : IFirstName, ISecondName
            {
                Task<int> Add(int a, int b);
                ValueTask<string> Echo(string? text);
                Task Store(string value);
                ValueTask Clear();
                Task<string?> Stored();
                Task<int> Sum(params int[] values);
                Task<int> WaitFor(Task<int> gate);
                Task WaitForVoid(Task gate);
                Task Fail(string message);
                ValueTask<int> FailValue(string message);
                Task<int> FailLater(string message);

                [ReadOnly]
                Task<int> Peek();
            }

            public sealed class Calculator : ICalculator
            {
                private string? _stored;

                public Task<int> Add(int a, int b) => Task.FromResult(a + b);

                public ValueTask<string> Echo(string? text) => new(text ?? "<null>");

                public Task Store(string value)
                {
                    _stored = value;
                    return Task.CompletedTask;
                }

                public ValueTask Clear()
                {
                    _stored = null;
                    return ValueTask.CompletedTask;
                }

                public Task<string?> Stored() => Task.FromResult(_stored);

                public Task<int> Sum(params int[] values)
                {
                    var sum = 0;
                    foreach (var value in values)
                    {
                        sum += value;
                    }

                    return Task.FromResult(sum);
                }

                public async Task<int> WaitFor(Task<int> gate) => await gate + 1;

                public async Task WaitForVoid(Task gate) => await gate;

                public Task Fail(string message) => throw new InvalidOperationException(message);

                public ValueTask<int> FailValue(string message) => ValueTask.FromException<int>(new ArgumentException(message));

                public async Task<int> FailLater(string message)
                {
                    await Task.Yield();
                    throw new TimeoutException(message);
                }

                public Task<int> Peek() => Task.FromResult(7);

                Task<string> IFirstName.Name() => Task.FromResult("first");

                Task<string> ISecondName.Name() => Task.FromResult("second");
            }
        }
        """;
}
