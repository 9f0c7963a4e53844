using NexusOrleans.CodeGenerator.Tests.Sources;
using NexusOrleans.CodeGenerator.Tests.Support;

namespace NexusOrleans.CodeGenerator.Tests;

/// <summary>Calls through generated proxies into a real grain object and checks what the caller gets back.</summary>
public sealed class ProxyBehaviourTests : IDisposable
{
    private readonly LoadedAssembly _assembly;
    private readonly DirectCallSink _sink;
    private readonly object _proxy;
    private readonly Type _calculator;

    public ProxyBehaviourTests()
    {
        _assembly = LoadedAssembly.Emit(GeneratorHarness.Run(CalculatorGrain.Source).Output);
        _sink = new DirectCallSink(_assembly.CreateInstance(CalculatorGrain.Implementation));
        _proxy = _assembly.CreateProxy(CalculatorGrain.Interface, _sink);
        _calculator = _assembly.GetType(CalculatorGrain.Interface);
    }

    public void Dispose() => _assembly.Dispose();

    [Fact]
    public async Task Proxy_TaskOfTMethod_ReturnsTargetsResult()
    {
        var result = await ProxyCalls.CallAsync(_proxy, _calculator, "Add", 2, 3);

        Assert.Equal(5, result);
    }

    [Fact]
    public async Task Proxy_ValueTaskOfTMethod_ReturnsTargetsResult()
    {
        var result = await ProxyCalls.CallAsync(_proxy, _calculator, "Echo", "hello");

        Assert.Equal("hello", result);
    }

    [Fact]
    public async Task Proxy_NullArgument_ReachesTargetAsNull()
    {
        var result = await ProxyCalls.CallAsync(_proxy, _calculator, "Echo", [null]);

        Assert.Equal("<null>", result);
    }

    [Fact]
    public async Task Proxy_TaskAndValueTaskMethods_RunOnTargetInCallOrder()
    {
        await ProxyCalls.CallAsync(_proxy, _calculator, "Store", "kept");
        var afterStore = await ProxyCalls.CallAsync(_proxy, _calculator, "Stored");
        await ProxyCalls.CallAsync(_proxy, _calculator, "Clear");
        var afterClear = await ProxyCalls.CallAsync(_proxy, _calculator, "Stored");

        Assert.Equal("kept", afterStore);
        Assert.Null(afterClear);
    }

    [Fact]
    public async Task Proxy_ParamsArrayArgument_ReachesTargetWhole()
    {
        var result = await ProxyCalls.CallAsync(_proxy, _calculator, "Sum", [new[] { 1, 2, 3, 4 }]);

        Assert.Equal(10, result);
    }

    [Fact]
    public async Task Proxy_SameSignatureOnTwoBaseInterfaces_CallsEachInterfacesImplementation()
    {
        var first = await ProxyCalls.CallAsync(_proxy, _assembly.GetType(CalculatorGrain.FirstBase), "Name");
        var second = await ProxyCalls.CallAsync(_proxy, _assembly.GetType(CalculatorGrain.SecondBase), "Name");

        Assert.Equal("first", first);
        Assert.Equal("second", second);
    }

    [Fact]
    public async Task Proxy_TargetThrowsSynchronously_CallerSeesOriginalException()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ProxyCalls.CallAsync(_proxy, _calculator, "Fail", "out of stock"));

        Assert.Equal("out of stock", error.Message);
    }

    [Fact]
    public async Task Proxy_TargetReturnsFaultedValueTask_CallerSeesOriginalException()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => ProxyCalls.CallAsync(_proxy, _calculator, "FailValue", "bad sku"));

        Assert.Equal("bad sku", error.Message);
    }

    [Fact]
    public async Task Proxy_TargetThrowsAfterAwaiting_CallerSeesOriginalException()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => ProxyCalls.CallAsync(_proxy, _calculator, "FailLater", "too slow"));

        Assert.Equal("too slow", error.Message);
    }

    [Fact]
    public async Task Proxy_TargetStillRunning_CompletesCallerWhenTargetFinishes()
    {
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = (Task<int>)ProxyCalls.Start(_proxy, _calculator, "WaitFor", gate.Task);
        var completedBeforeRelease = call.IsCompleted;
        gate.SetResult(41);
        var result = await call;

        Assert.False(completedBeforeRelease);
        Assert.Equal(42, result);
    }

    [Fact]
    public async Task Proxy_VoidTargetStillRunning_ReportsCompletionOnlyAfterTargetFinishes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = ProxyCalls.Start(_proxy, _calculator, "WaitForVoid", gate.Task);
        var completionsBeforeRelease = _sink.Completed.Count;
        gate.SetResult();
        await call;
        var completed = await _sink.FirstCompletion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.False(call.IsFaulted);
        Assert.Equal(0, completionsBeforeRelease);
        Assert.Same(_sink.Sent.Single(), completed);
    }

    [Fact]
    public async Task Request_SynchronousTarget_ReportsCompletionOnceBeforeCallReturns()
    {
        var call = ProxyCalls.Start(_proxy, _calculator, "Add", 1, 1);

        Assert.True(call.IsCompleted);
        Assert.Same(_sink.Sent.Single(), Assert.Single(_sink.Completed));
        await call;
    }

    [Fact]
    public async Task Request_OfReadOnlyMethod_IsReadOnly()
    {
        await ProxyCalls.CallAsync(_proxy, _calculator, "Peek");

        Assert.True(_sink.Sent.Single().IsReadOnly);
    }

    [Fact]
    public async Task Request_OfOrdinaryMethod_IsNotReadOnly()
    {
        await ProxyCalls.CallAsync(_proxy, _calculator, "Add", 1, 2);

        Assert.False(_sink.Sent.Single().IsReadOnly);
    }

    [Fact]
    public async Task Request_MethodName_IsInterfaceDotMethod()
    {
        await ProxyCalls.CallAsync(_proxy, _calculator, "Add", 1, 2);

        Assert.Equal("ICalculator.Add", _sink.Sent.Single().MethodName);
    }

    [Fact]
    public async Task Request_OfInheritedMethod_NamesDeclaringInterface()
    {
        await ProxyCalls.CallAsync(_proxy, _assembly.GetType(CalculatorGrain.SecondBase), "Name");

        Assert.Equal("ISecondName.Name", _sink.Sent.Single().MethodName);
    }
}
