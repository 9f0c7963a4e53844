using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NexusOrleans.CodeGenerator.Tests.Support;

namespace NexusOrleans.CodeGenerator.Tests;

/// <summary>
/// The generator's models must compare equal when a grain interface did not change, or every keystroke in the IDE
/// regenerates every proxy. Each test runs the same driver twice and reads the reasons recorded for each step.
/// </summary>
public sealed class IncrementalityTests
{
    private const string GrainSource = """
        using System.Threading.Tasks;
        using NexusOrleans.Runtime;

        namespace Shop
        {
            public interface ICart : IGrain
            {
                Task Add(string sku, int quantity);
                Task<int> Count();
            }
        }
        """;

    private const string OtherSource = """
        namespace Shop
        {
            public sealed class Prices
            {
                public int Base => 1;
            }
        }
        """;

    [Fact]
    public void Generator_EditOutsideGrainInterfaces_ReusesCachedProxyAndSource()
    {
        var second = RunTwice(OtherSource, OtherSource.Replace("Base => 1", "Base => 2", StringComparison.Ordinal));

        AssertAllReasons(second.TrackedSteps[GrainProxyGenerator.TrackingNames.Proxies], IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAllReasons(second.TrackedOutputSteps[WellKnownGeneratorOutputs.SourceOutput], IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Generator_EditToGrainInterface_RegeneratesItsProxy()
    {
        var second = RunTwice(
            GrainSource,
            GrainSource.Replace("Task<int> Count();", "Task<int> Count();\n        Task Clear();", StringComparison.Ordinal));

        Assert.Contains(
            second.TrackedSteps[GrainProxyGenerator.TrackingNames.Proxies].SelectMany(step => step.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
    }

    /// <summary>
    /// Runs over the grain source and the other source, then again with <paramref name="edited"/> (one of the two)
    /// replaced by <paramref name="replacement"/>; returns the second run.
    /// </summary>
    private static GeneratorRunResult RunTwice(string edited, string replacement)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var compilation = GeneratorHarness.CreateCompilation(GrainSource, OtherSource);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, cancellation);

        var oldTree = compilation.SyntaxTrees.Single(tree => tree.ToString() == edited);
        var newTree = CSharpSyntaxTree.ParseText(replacement, GeneratorHarness.ParseOptions, oldTree.FilePath, cancellationToken: cancellation);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(oldTree, newTree), cancellation);
        return driver.GetRunResult().Results.Single();
    }

    private static void AssertAllReasons(IEnumerable<IncrementalGeneratorRunStep> steps, params IncrementalStepRunReason[] allowed)
    {
        var outputs = steps.SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.Contains(output.Reason, allowed));
    }
}
