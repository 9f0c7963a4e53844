namespace NexusOrleans.Silo.Tests;

/// <summary>One run of the <c>ichat</c> CLI as a user types it (<c>dotnet run --project Client/NexusOrleans.Cli</c>), to its exit.</summary>
public sealed record IchatRun(int ExitCode, string Output, string Errors)
{
    public static async Task<IchatRun> RunAsync(string workingDirectory, params string[] arguments)
    {
        await using var process = ChildProcess.Start(
            "ichat",
            workingDirectory,
            ["dotnet", "run", "--project", Path.Combine(SiloProcess.RepositoryRoot, "Client", "NexusOrleans.Cli"), "--no-build", "--no-launch-profile", "--", .. arguments]);
        var exitCode = await process.WaitForExitAsync();
        return new IchatRun(exitCode, string.Join('\n', process.Output), string.Join('\n', process.Errors));
    }
}
