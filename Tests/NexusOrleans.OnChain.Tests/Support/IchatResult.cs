using System.CommandLine;
using NexusOrleans.Cli.Commands;

namespace NexusOrleans.OnChain.Tests.Support;

/// <summary>One run of <c>ichat</c> in the test process through its command entry point, with what it wrote captured.</summary>
public sealed record IchatResult(int ExitCode, string Output, string Errors)
{
    public static async Task<IchatResult> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await IchatCommands.Build().Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors }, TestContext.Current.CancellationToken);
        return new IchatResult(exitCode, output.ToString(), errors.ToString());
    }

    /// <summary>The error output as its lines.</summary>
    public string[] ErrorLines => Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
