using Microsoft.CodeAnalysis;
using NexusOrleans.CodeGenerator.Tests.Support;

namespace NexusOrleans.CodeGenerator.Tests;

/// <summary>Interfaces that cannot be proxied: one error naming the member, and no code for that interface.</summary>
public sealed class GrainDiagnosticsTests
{
    private const string Usings = """
        using System;
        using System.Threading.Tasks;
        using NexusOrleans.Runtime;

        """;

    // A valid interface next to the bad one shows the generator ran and skipped only the bad one.
    private const string GoodInterface = """

        namespace Good
        {
            public interface IGood : IGrain
            {
                Task Fine();
            }
        }
        """;

    private static readonly (string Member, string Id, string MemberName)[] BadMemberCases =
    [
        ("int Count();", "NXO001", "IBad.Count"),
        ("void Reset();", "NXO001", "IBad.Reset"),
        ("Task<T> Get<T>();", "NXO002", "IBad.Get"),
        ("Task Move(ref int distance);", "NXO004", "IBad.Move"),
        ("Task Read(out int value);", "NXO004", "IBad.Read"),
        ("Task Take(in int value);", "NXO004", "IBad.Take"),
        ("Task Look(ref readonly int value);", "NXO004", "IBad.Look"),
        ("string Name { get; }", "NXO005", "IBad.Name"),
        ("int this[int index] { get; }", "NXO005", "IBad.this[]"),
        ("event EventHandler Changed;", "NXO005", "IBad.Changed"),
        ("static abstract Task Create();", "NXO006", "IBad.Create"),
        ("Task Write(Span<byte> bytes);", "NXO007", "IBad.Write"),
        ("protected Task Hidden();", "NXO009", "IBad.Hidden"),
    ];

    public static TheoryData<string, string, string> BadMembers =>
        new(BadMemberCases.Select(c => (c.Member, c.Id, c.MemberName)));

    public static TheoryData<string> BadMemberDeclarations => new(BadMemberCases.Select(c => c.Member));

    [Theory]
    [MemberData(nameof(BadMembers))]
    public void Generator_InterfaceWithBadMember_ReportsErrorNamingMember(string member, string id, string memberName)
    {
        var run = GeneratorHarness.Run(BadInterface(member));

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains($"'{memberName}'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadMemberDeclarations))]
    public void Generator_InterfaceWithBadMember_GeneratesProxyOnlyForOtherInterfaces(string member)
    {
        var run = GeneratorHarness.Run(BadInterface(member));

        Assert.Equal(["Good.IGood"], run.ProxiedInterfaces());
    }

    [Fact]
    public void Generator_InterfaceWithBadMember_ReportsAtTheMember()
    {
        var source = BadInterface("int Count();");
        var run = GeneratorHarness.Run(source);

        var span = Assert.Single(run.GeneratorDiagnostics).Location.SourceSpan;
        Assert.Equal("Count", source.Substring(span.Start, span.Length));
    }

    [Fact]
    public void Generator_InvalidReturnType_MessageSaysWhatIsAllowed()
    {
        var run = GeneratorHarness.Run(BadInterface("int Count();"));

        Assert.Equal(
            "Grain interface method 'IBad.Count' returns 'int'; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>",
            Assert.Single(run.GeneratorDiagnostics).GetMessage());
    }

    [Fact]
    public void Generator_ByRefParameter_MessageNamesParameterAndModifier()
    {
        var run = GeneratorHarness.Run(BadInterface("Task Move(ref int distance);"));

        var message = Assert.Single(run.GeneratorDiagnostics).GetMessage();
        Assert.Contains("'distance'", message, StringComparison.Ordinal);
        Assert.Contains("'ref'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generator_GenericInterface_ReportsNXO003AndGeneratesNothingForIt()
    {
        var run = GeneratorHarness.Run(Usings + """
            namespace Bad
            {
                public interface IBad<T> : IGrain
                {
                    Task<T> Get();
                }
            }
            """ + GoodInterface);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NXO003", diagnostic.Id);
        Assert.Contains("'IBad<T>'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(["Good.IGood"], run.ProxiedInterfaces());
    }

    [Fact]
    public void Generator_InterfaceNestedInGenericClass_ReportsNXO003()
    {
        var run = GeneratorHarness.Run(Usings + """
            namespace Bad
            {
                public class Outer<T>
                {
                    public interface IBad : IGrain
                    {
                        Task Fine();
                    }
                }
            }
            """);

        Assert.Equal("NXO003", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Empty(run.GeneratedSources);
    }

    [Theory]
    [InlineData("public class Outer { private interface IBad : IGrain { Task Fine(); } }")]
    [InlineData("public class Outer { protected interface IBad : IGrain { Task Fine(); } }")]
    [InlineData("internal class Outer { private protected interface IBad : IGrain { Task Fine(); } }")]
    [InlineData("file interface IBad : IGrain { Task Fine(); }")]
    public void Generator_InterfaceInaccessibleToOtherTypes_ReportsNXO008AndGeneratesNothingForIt(string declaration)
    {
        var run = GeneratorHarness.Run(Usings + "namespace Bad\n{\n" + declaration + "\n}\n" + GoodInterface);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NXO008", diagnostic.Id);
        Assert.Contains("IBad", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(["Good.IGood"], run.ProxiedInterfaces());
    }

    [Fact]
    public void Generator_BadMemberInheritedByAnotherGrainInterface_ReportsOnceAndGeneratesNeither()
    {
        var run = GeneratorHarness.Run(Usings + """
            namespace Bad
            {
                public interface IBad : IGrain
                {
                    int Count();
                }

                public interface IDerived : IBad
                {
                    Task Fine();
                }
            }
            """ + GoodInterface);

        Assert.Equal("NXO001", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Equal(["Good.IGood"], run.ProxiedInterfaces());
    }

    [Fact]
    public void Generator_BadMemberFromNonGrainBaseInterface_ReportsNamingBaseMember()
    {
        var run = GeneratorHarness.Run(Usings + """
            namespace Bad
            {
                public interface ICounter
                {
                    int Count();
                }

                public interface IBad : IGrain, ICounter;
            }
            """);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NXO001", diagnostic.Id);
        Assert.Contains("'ICounter.Count'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void Generator_NonGrainInterfaceWithBadMembers_ReportsNothing()
    {
        var run = GeneratorHarness.Run(Usings + """
            namespace Plain
            {
                public interface ICounter : IDisposable
                {
                    int Count();
                    string Name { get; }
                }
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.GeneratedSources);
    }

    private static string BadInterface(string member) => Usings + $$"""
        namespace Bad
        {
            public interface IBad : IGrain
            {
                {{member}}
            }
        }
        """ + GoodInterface;
}
