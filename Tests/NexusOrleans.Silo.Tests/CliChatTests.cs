using NexusOrleans.Testing;

namespace NexusOrleans.Silo.Tests;

/// <summary>
/// The README's two-terminal chat, run as a newcomer runs it: a freshly started silo (<c>dotnet run --project Silo</c>)
/// and the <c>ichat</c> CLI (<c>dotnet run --project Client/NexusOrleans.Cli</c>) as separate processes.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CliChatTests : IAsyncLifetime
{
    private SiloProcess _silo = null!;

    public async ValueTask InitializeAsync()
    {
        _silo = SiloProcess.Start();
        await _silo.WaitForLine("Silo ready");
    }

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task TwoPeople_ChatThroughAFreshSilo_EachSeesTheOthersMessages()
    {
        await RunAsync("new", "--out", "alice.key");
        await RunAsync("new", "--words", "12", "--out", "bob.key");
        var alice = Identity(await RunAsync("-m", "alice.key", "whoami"));
        var bob = Identity(await RunAsync("-m", "bob.key", "whoami"));

        await using var bobChat = Cli(redirectInput: true, "-m", "bob.key", "--relay", _silo.WebSocketAddress.ToString(), "chat", "--to", alice);
        await bobChat.WaitForLine("Chatting as");
        await using var aliceChat = Cli(redirectInput: true, "-m", "alice.key", "--relay", _silo.WebSocketAddress.ToString(), "chat", "--to", bob);
        await aliceChat.WaitForLine("Chatting as");

        await aliceChat.WriteLineAsync("hi bob, it's alice");
        var atBob = await bobChat.WaitForLine("hi bob, it's alice");
        await bobChat.WriteLineAsync("hello alice");
        var atAlice = await aliceChat.WaitForLine("hello alice");

        Assert.Contains(alice[..12], atBob, StringComparison.Ordinal);
        Assert.Contains(bob[..12], atAlice, StringComparison.Ordinal);
        aliceChat.CloseInput();
        Assert.Equal(0, await aliceChat.WaitForExitAsync());
    }

    [Fact]
    public async Task Send_ToSomeoneOffline_IsPrintedWhenTheyListen()
    {
        await RunAsync("new", "--out", "alice.key");
        await RunAsync("new", "--out", "bob.key");
        var bob = Identity(await RunAsync("-m", "bob.key", "whoami"));

        var sent = await RunAsync("-m", "alice.key", "--relay", _silo.WebSocketAddress.ToString(), "send", "--to", bob, "left for you");
        await using var listen = Cli(redirectInput: false, "-m", "bob.key", "--relay", _silo.WebSocketAddress.ToString(), "listen");

        Assert.Contains("through 1 relay", sent, StringComparison.Ordinal);
        await listen.WaitForLine("left for you");
    }

    [Fact]
    public async Task Whoami_ShowsIdentityDidKeyAndTheStandardEthereumAddress()
    {
        var output = await RunAsync(
            new Dictionary<string, string> { ["ICHAT_MNEMONIC"] = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about" },
            "whoami");

        Assert.Contains("Wallet:   0x9858EfFD232B4033E47d90003D41EC34EcaEda94", output, StringComparison.Ordinal);
        Assert.Contains("DID:      did:key:z6Mk", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WithNoRelayRunning_FailsAtOnceWithAClearMessage()
    {
        await RunAsync("new", "--out", "alice.key");
        var nowhere = $"ws://127.0.0.1:{LoopbackPort.Free()}/v1/ws";

        await using var send = Cli(redirectInput: false, "-m", "alice.key", "--relay", nowhere, "send", "--to", new string('a', 64), "lost");

        Assert.Equal(1, await send.WaitForExitAsync());
        Assert.Contains(send.Errors, line => line.Contains("No relay could be reached", StringComparison.Ordinal));
    }

    private static string Identity(string whoami) =>
        whoami.Split('\n').Single(line => line.StartsWith("Identity:", StringComparison.Ordinal))["Identity:".Length..].Trim();

    private Task<string> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    private async Task<string> RunAsync(IDictionary<string, string>? environment, params string[] arguments)
    {
        await using var process = Cli(environment, redirectInput: false, arguments);
        var exitCode = await process.WaitForExitAsync();
        Assert.True(exitCode == 0, $"ichat {string.Join(' ', arguments)} exited with {exitCode}: {string.Join('\n', process.Errors)}");
        return string.Join('\n', process.Output);
    }

    private ChildProcess Cli(bool redirectInput, params string[] arguments) => Cli(null, redirectInput, arguments);

    private ChildProcess Cli(IDictionary<string, string>? environment, bool redirectInput, params string[] arguments) =>
        ChildProcess.Start(
            "ichat",
            _silo.WorkingDirectory,
            ["dotnet", "run", "--project", Path.Combine(SiloProcess.RepositoryRoot, "Client", "NexusOrleans.Cli"), "--no-build", "--no-launch-profile", "--", .. arguments],
            environment,
            redirectInput);
}
