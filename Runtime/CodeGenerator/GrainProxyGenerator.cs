// Grain proxies and requests.
//
// A caller holds a grain through one of its interfaces; the runtime must turn each call on that interface into a
// message it can queue for the grain's activation, run on the activation's turn, and complete back to the caller.
// For every interface of this compilation that derives from IAddressable (grain and observer interfaces, but not the
// markers IAddressable, IGrain and IGrainObserver) this generator writes:
//
//  * a proxy: an internal sealed GrainReference that implements the interface, every method explicitly, so that the
//    same signature inherited from two base interfaces gives two distinct methods. A method copies its arguments into
//    a new request and hands it to the reference's sink; the caller awaits the request's own promise.
//  * one request class per method, nested in the proxy: the arguments as fields, MethodName for logs, IsReadOnly for
//    [ReadOnly] methods (which may interleave), and InvokeCore, which calls the method on the target through its
//    declaring interface. Requests are generated per proxy, inherited methods included, so a proxy never needs
//    another assembly's internals.
//  * [assembly: GrainProxy(typeof(Interface), typeof(Proxy))], which is how the runtime finds proxies without scanning.
//
// Interfaces that cannot be carried this way (a method not returning Task, Task<T>, ValueTask or ValueTask<T>,
// generic methods or interfaces, by-reference or ref struct parameters, properties, indexers or events) get errors
// NXO001..NXO009 and no code: a grain interface without a working proxy should fail the build, not the first call.
//
// The pipeline turns symbols into records of strings and value-equal arrays before any source is written, so an
// edit that does not change a grain interface's shape leaves its model equal and its generated file is reused.
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NexusOrleans.CodeGenerator.Diagnostics;
using NexusOrleans.CodeGenerator.Emit;
using NexusOrleans.CodeGenerator.Model;
using NexusOrleans.CodeGenerator.Parsing;

namespace NexusOrleans.CodeGenerator;

/// <summary>Generates a proxy and request classes for every grain and observer interface of the compilation.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainProxyGenerator : IIncrementalGenerator
{
    /// <summary>Step names, for tests that check which steps an edit re-ran.</summary>
    public static class TrackingNames
    {
        public const string Interfaces = nameof(Interfaces);
        public const string Proxies = nameof(Proxies);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaces = context.SyntaxProvider
            .CreateSyntaxProvider(GrainInterfaceParser.IsCandidate, GrainInterfaceParser.Parse)
            .Where(static result => result is not null)
            .Select(static (result, _) => result!)
            .WithTrackingName(TrackingNames.Interfaces);

        var proxies = interfaces
            .Where(static result => result.Proxy is not null)
            .Select(static (result, _) => result.Proxy!)
            .WithTrackingName(TrackingNames.Proxies);

        context.RegisterSourceOutput(proxies, static (output, proxy) =>
            output.AddSource(proxy.HintName, SourceText.From(ProxyEmitter.Emit(proxy), Encoding.UTF8)));

        var diagnostics = interfaces.SelectMany(static (result, _) => result.Diagnostics).Collect();
        context.RegisterSourceOutput(diagnostics, static (output, all) => Report(output, all));
    }

    /// <summary>
    /// A bad member of a base interface is found again for every interface deriving from it; it is reported once.
    /// </summary>
    private static void Report(SourceProductionContext output, ImmutableArray<DiagnosticInfo> diagnostics)
    {
        var reported = new HashSet<DiagnosticInfo>();
        foreach (var diagnostic in diagnostics)
        {
            if (reported.Add(diagnostic))
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        }
    }
}
