using System.Reflection;
using NexusOrleans.CodeGenerator.Tests.Sources;
using NexusOrleans.CodeGenerator.Tests.Support;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.CodeGenerator.Tests;

/// <summary>
/// What generated requests carry for calls to other processes: a stable wire name, their arguments written and read
/// back in parameter order, and a registration of every request class by wire name.
/// </summary>
public sealed class WireIdentityTests : IDisposable
{
    private readonly LoadedAssembly _assembly;
    private readonly DirectCallSink _sink;
    private readonly object _proxy;
    private readonly Type _calculator;

    public WireIdentityTests()
    {
        _assembly = LoadedAssembly.Emit(GeneratorHarness.Run(CalculatorGrain.Source).Output);
        _sink = new DirectCallSink(_assembly.CreateInstance(CalculatorGrain.Implementation));
        _proxy = _assembly.CreateProxy(CalculatorGrain.Interface, _sink);
        _calculator = _assembly.GetType(CalculatorGrain.Interface);
    }

    public void Dispose() => _assembly.Dispose();

    [Fact]
    public async Task Request_OwnMethod_WireNameIsInterfaceMethodAndParameterTypes()
    {
        await ProxyCalls.CallAsync(_proxy, _calculator, "Add", 2, 3);

        Assert.Equal("Behaviour.ICalculator.Add(System.Int32,System.Int32)", Assert.Single(_sink.Sent).WireName);
    }

    [Fact]
    public async Task Request_MethodInheritedFromTwoBases_WireNameNamesTheDeclaringInterface()
    {
        await ProxyCalls.CallAsync(_proxy, _assembly.GetType(CalculatorGrain.FirstBase), "Name");
        await ProxyCalls.CallAsync(_proxy, _assembly.GetType(CalculatorGrain.SecondBase), "Name");

        Assert.Equal(new[] { "Behaviour.IFirstName.Name()", "Behaviour.ISecondName.Name()" }, _sink.Sent.Select(r => r.WireName));
    }

    [Fact]
    public void RegisterRequests_Proxy_RegistersEveryMethodOnceByWireName()
    {
        var registered = Register(_assembly.ProxyTypeFor(_calculator));

        Assert.Equal(_calculator.GetInterfaces().Append(_calculator).Sum(i => i.GetMethods().Length), registered.Count);
        Assert.All(registered, entry => Assert.Equal(entry.Key, entry.Value().WireName));
    }

    [Fact]
    public async Task ReadArguments_WhatWriteArgumentsWrote_CallsTargetWithTheSameArguments()
    {
        await ProxyCalls.CallAsync(_proxy, _calculator, "Sum", [new[] { 4, 5, 6 }]);
        var sent = Assert.Single(_sink.Sent);
        var written = new ListWriter();
        sent.WriteArguments(written);

        var received = Register(_assembly.ProxyTypeFor(_calculator))[sent.WireName!]();
        received.ReadArguments(new ListReader(written.Values));
        var completion = new DirectCallSink(new object());
        received.Invoke(_assembly.CreateInstance(CalculatorGrain.Implementation), completion);

        Assert.Equal(new[] { 4, 5, 6 }, Assert.IsType<int[]>(Assert.Single(written.Values)));
        Assert.Equal(15, await ((Task<int>)received.GetType().GetProperty("ResultTask")!.GetValue(received)!));
    }

    [Fact]
    public void Generator_OverloadsAndAnnotations_GetDistinctWireNamesWithoutNullableReferenceMarks()
    {
        var run = GeneratorHarness.Run(BroadInterfaces.Source);
        var product = run.GeneratedSources.Single(s => s.HintName == "Shop__Catalog__Grains__IProductProxy.g.cs").SourceText.ToString();

        Assert.Contains("\"Shop.Catalog.Grains.IProduct.Tag(System.String)\"", product, StringComparison.Ordinal);
        Assert.Contains("\"Shop.Catalog.Grains.IProduct.Tag(System.String,System.Int32)\"", product, StringComparison.Ordinal);
        Assert.Contains("\"Shop.Catalog.Grains.IProduct.Tag(System.Collections.Generic.List<System.String>)\"", product, StringComparison.Ordinal);
        Assert.Contains("\"Shop.Catalog.Grains.IProduct.Rating(System.Nullable<System.Int32>)\"", product, StringComparison.Ordinal);
        Assert.Contains("\"Shop.Catalog.Grains.IProduct.FindTag(System.String)\"", product, StringComparison.Ordinal);
        Assert.Contains("\"Shop.Catalog.Grains.IPricing.Price(System.String)\"", product, StringComparison.Ordinal);
        Assert.Contains("\"Shop.Catalog.Grains.IStock.Price(System.String)\"", product, StringComparison.Ordinal);
    }

    private static Dictionary<string, Func<GrainRequest>> Register(Type proxyType)
    {
        var registrar = new Registrar();
        proxyType.GetMethod("RegisterRequests", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [registrar]);
        return registrar.Factories;
    }

    private sealed class Registrar : IGrainRequestRegistrar
    {
        public Dictionary<string, Func<GrainRequest>> Factories { get; } = new(StringComparer.Ordinal);

        public void Add(string wireName, Func<GrainRequest> factory) => Factories.Add(wireName, factory);
    }

    private sealed class ListWriter : IGrainArgumentWriter
    {
        public List<object?> Values { get; } = [];

        public void Write<T>(T value) => Values.Add(value);
    }

    private sealed class ListReader(List<object?> values) : IGrainArgumentReader
    {
        private int _next;

        public T Read<T>() => (T)values[_next++]!;
    }
}
