using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NexusOrleans.CodeGenerator;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.CodeGenerator.Tests.Support;

/// <summary>
/// Runs <see cref="GrainProxyGenerator"/> over source text the way the compiler does, against the real framework
/// and the real Abstractions assembly, with nullable analysis on and every warning wave enabled.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Generated" + Guid.NewGuid().ToString("N"),
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new GrainProxyGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(
            compilation, out var output, out var generatorDiagnostics, TestContext.Current.CancellationToken);
        return new GeneratorRun(output, generatorDiagnostics, driver.GetRunResult());
    }

    /// <summary>The framework assemblies of the running test host, plus the runtime's abstractions.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted
            .Where(path => Path.GetDirectoryName(path) == frameworkDirectory)
            .Append(typeof(GrainReference).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}

/// <summary>The compilation with generated sources added, what the generator reported, and its step-by-step record.</summary>
internal sealed record GeneratorRun(Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result)
{
    public ImmutableArray<GeneratedSourceResult> GeneratedSources => Result.Results.Single().GeneratedSources;

    /// <summary>Warnings and errors of the whole compilation, generated code included.</summary>
    public IReadOnlyList<Diagnostic> CompilationProblems(CancellationToken cancellationToken) =>
        Output.GetDiagnostics(cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>The interfaces registered with [assembly: GrainProxy], by full name.</summary>
    public IReadOnlyList<string> ProxiedInterfaces() =>
        Output.Assembly.GetAttributes()
            .Where(a => a.AttributeClass?.Name == nameof(GrainProxyAttribute))
            .Select(a => ((ITypeSymbol)a.ConstructorArguments[0].Value!).ToDisplayString())
            .Order(StringComparer.Ordinal)
            .ToList();
}
