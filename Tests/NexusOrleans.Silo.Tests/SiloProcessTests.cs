using System.Net;
using Npgsql;
using NexusOrleans.Testing;
using NexusOrleans.Testing.Postgres;

namespace NexusOrleans.Silo.Tests;

/// <summary>The silo as a newcomer and an operator meet it: one command, health endpoints, clear failures, clean stop.</summary>
[Trait("Category", "E2E")]
public sealed class SiloProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DefaultStart_ServesHealthOnSqliteUnderDataInTheWorkingDirectory()
    {
        await using var silo = SiloProcess.Start();
        await silo.WaitForLine("Silo ready");
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = Timeout };

        var live = await http.GetAsync("/health/live", TestContext.Current.CancellationToken);
        var ready = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"storage\"", body, StringComparison.Ordinal);
        Assert.Contains("sqlite", body, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(silo.WorkingDirectory, "data", "nexus.db")), "the SQLite file is created under ./data");
    }

    [Fact]
    public async Task DefaultStart_LogsWhereItListens()
    {
        await using var silo = SiloProcess.Start();

        var line = await silo.WaitForLine("Silo ready");

        Assert.Contains($"http://127.0.0.1:{silo.Port}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_StopsTheSiloGracefullyWithExitCodeZero()
    {
        await using var silo = SiloProcess.Start();
        await silo.WaitForLine("Silo ready");

        silo.Terminate();

        Assert.Equal(0, await silo.WaitForExitAsync());
        Assert.Contains(silo.Output, line => line.Contains("Silo stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreachablePostgres_ExitsNonZeroWithOneLineNamingTheStoreAndNoSecret()
    {
        var port = LoopbackPort.Free();
        await using var silo = SiloProcess.Start(new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__Postgres__ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=nexus;Username=relay;Password=s3cret-never-logged;Timeout=3",
        });

        var exitCode = await silo.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        var error = Assert.Single(silo.Errors, line => line.Length > 0);
        Assert.StartsWith("nexus-silo: Storage 'postgres' at 127.0.0.1:", error, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}/nexus", error, StringComparison.Ordinal);
        var everything = string.Join('\n', silo.Output.Concat(silo.Errors));
        Assert.DoesNotContain("s3cret-never-logged", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnusableSqlitePath_ExitsNonZeroNamingTheFile()
    {
        await using var silo = SiloProcess.Start(new Dictionary<string, string> { ["Storage__Sqlite__Path"] = "/proc/nexus/cannot/be/here.db" });

        Assert.Equal(2, await silo.WaitForExitAsync());
        var error = Assert.Single(silo.Errors, line => line.Length > 0);
        Assert.Contains("Storage 'sqlite'", error, StringComparison.Ordinal);
        Assert.Contains("/proc/nexus/cannot/be/here.db", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidSetting_ExitsNonZeroNamingTheSetting()
    {
        await using var silo = SiloProcess.Start(arguments: ["--Grains:CollectionAge=-00:01:00"]);

        Assert.Equal(3, await silo.WaitForExitAsync());
        Assert.Contains(silo.Errors, line => line.Contains("Grains:CollectionAge", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InboxUnreadAgeAboveSixHours_ExitsNonZeroNamingTheSetting()
    {
        await using var silo = SiloProcess.Start(arguments: ["--Inbox:MaxUnreadAge=07:00:00"]);

        Assert.Equal(3, await silo.WaitForExitAsync());
        Assert.Contains(silo.Errors, line => line.Contains("Inbox:MaxUnreadAge must be positive and at most 06:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NetworkOutageGapBelowTwoHeartbeats_ExitsNonZeroNamingTheSetting()
    {
        await using var silo = SiloProcess.Start(arguments: ["--Network:OutageGap=00:00:05"]);

        Assert.Equal(3, await silo.WaitForExitAsync());
        Assert.Contains(silo.Errors, line => line.Contains("Network:OutageGap must be at least twice HeartbeatInterval (00:00:20)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoSectionsInvalidAtOnce_ExitsWithCodeThreeNamingBoth()
    {
        await using var silo = SiloProcess.Start(arguments: ["--Inbox:MaxUnreadAge=07:00:00", "--Network:OutageGap=00:00:05"]);

        Assert.Equal(3, await silo.WaitForExitAsync());
        var error = Assert.Single(silo.Errors, line => line.StartsWith("nexus-silo: invalid configuration: ", StringComparison.Ordinal));
        Assert.Contains("Inbox:MaxUnreadAge must be positive and at most 06:00:00", error, StringComparison.Ordinal);
        Assert.Contains("Network:OutageGap must be at least twice HeartbeatInterval (00:00:20)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEda9", "1000000", "Ledger:Genesis:0:Address must be an EVM address, 0x followed by 40 hex characters (got '0x9858EfFD232B4033E47d90003D41EC34EcaEda9').")]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "1,000,000", "Ledger:Genesis:0:Amount must be an iChat amount above 0 with at most 18 decimals, such as \"1000000\" or \"0.5\" (got '1,000,000').")]
    public async Task GenesisWithABadAddressOrAmount_ExitsWithCodeThreeNamingTheLine(string address, string amount, string expected)
    {
        await using var silo = SiloProcess.Start(arguments: [$"--Ledger:Genesis:0:Address={address}", $"--Ledger:Genesis:0:Amount={amount}"]);

        Assert.Equal(3, await silo.WaitForExitAsync());
        Assert.Contains(silo.Errors, line => line.StartsWith("nexus-silo: invalid configuration: ", StringComparison.Ordinal) && line.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(silo.Output, line => line.Contains("Genesis: minted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DefaultStart_WithoutStake_WarnsThatTheRelayIsNotListedAndServesTheSignedList()
    {
        await using var silo = SiloProcess.Start();
        await silo.WaitForLine("Silo ready");
        var refusal = await silo.WaitForLine("Relay registration refused (InsufficientStake)");
        Assert.Contains("has 0 iChat staked; a relay needs at least 1000000 iChat staked", refusal, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = Timeout };

        var json = await http.GetStringAsync("/v1/relays", TestContext.Current.CancellationToken);

        var list = System.Text.Json.JsonSerializer.Deserialize(json, NexusOrleans.Protocol.Wire.RelayListJson.Default.SignedRelayList)!;
        Assert.True(NexusOrleans.Protocol.Wire.RelayListSignature.Verify(list));
        Assert.Contains(silo.Output.Concat(silo.Errors), line => line.Contains($"Relay key {list.Relay}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EpochEndpoints_OnAFreshSilo_SayNothingIsClosedYetAndRefuseBadInput()
    {
        await using var silo = SiloProcess.Start();
        await silo.WaitForLine("Silo ready");
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = Timeout };
        var ct = TestContext.Current.CancellationToken;
        var thisHour = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH", System.Globalization.CultureInfo.InvariantCulture);

        var latest = await http.GetStringAsync("/v1/epochs", ct);
        var open = await http.GetAsync($"/v1/epochs/{thisHour}", ct);
        var badHour = await http.GetAsync("/v1/epochs/yesterday", ct);
        var badOperator = await http.GetAsync($"/v1/epochs/{thisHour}/0x12", ct);

        Assert.Equal("""{"lastClosed":null,"length":"01:00:00"}""", latest);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, open.StatusCode);
        Assert.Contains("is not closed", await open.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badHour.StatusCode);
        Assert.Contains("yyyy-MM-ddTHH", await badHour.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badOperator.StatusCode);
    }

    [Fact]
    public async Task EpochCloseDelayAboveThirtyMinutes_ExitsNonZeroNamingTheSetting()
    {
        await using var silo = SiloProcess.Start(arguments: ["--Epochs:CloseDelay=01:00:00"]);

        Assert.Equal(3, await silo.WaitForExitAsync());
        Assert.Contains(silo.Errors, line => line.Contains("Epochs:CloseDelay must be between 0 and 30 minutes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EpochLengthNotDividingAnHour_ExitsNonZeroNamingTheSetting()
    {
        await using var silo = SiloProcess.Start(arguments: ["--Epochs:Length=00:07:00"]);

        Assert.Equal(3, await silo.WaitForExitAsync());
        Assert.Contains(silo.Errors, line => line.Contains("Epochs:Length: An epoch lasts from 10 seconds to one hour", StringComparison.Ordinal) && line.Contains("got 00:07:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostgresStorage_IsReadyAndNamesTheDatabaseWithoutItsPassword()
    {
        var server = await PostgresServer.GetSharedAsync();
        var connectionString = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var password = new NpgsqlConnectionStringBuilder(connectionString).Password;
        Assert.False(string.IsNullOrEmpty(password), "the test server must use password authentication for this test to mean anything");
        await using var silo = SiloProcess.Start(new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__Postgres__ConnectionString"] = connectionString,
        });
        await silo.WaitForLine("Silo ready");
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = Timeout };

        var ready = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("postgres at 127.0.0.1:", body, StringComparison.Ordinal);
        Assert.DoesNotContain(password, body + string.Join('\n', silo.Output.Concat(silo.Errors)), StringComparison.Ordinal);
    }
}
