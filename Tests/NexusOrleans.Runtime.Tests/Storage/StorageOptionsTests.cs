using Microsoft.Extensions.Logging.Abstractions;
using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Runtime.Storage.Sqlite;
using Xunit;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>Defaults and start-up validation of the provider options.</summary>
public sealed class StorageOptionsTests
{
    [Fact]
    public void SqliteOptions_Defaults_AreTheDocumentedOnes()
    {
        var options = new SqliteStorageOptions();

        Assert.Equal("./data/nexus.db", options.Path);
        Assert.Equal(256, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
        options.Validate();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(":memory:")]
    public void SqliteOptions_PathNotAFile_IsRejectedNamingPath(string path)
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteStorageOptions { Path = path }.Validate());

        Assert.Contains("SqliteStorageOptions.Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SqliteOptions_MaxBatchSizeZero_IsRejectedSayingTheMinimum()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteStorageOptions { MaxBatchSize = 0 }.Validate());

        Assert.Contains("MaxBatchSize is 0; it must be at least 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SqliteOptions_BusyTimeoutZero_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteStorageOptions { BusyTimeout = TimeSpan.Zero }.Validate());

        Assert.Contains("SqliteStorageOptions.BusyTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SqliteProvider_InvalidOptions_ThrowsFromConstructor()
    {
        Assert.Throws<ArgumentException>(() => new SqliteStorageProvider(
            new SqliteStorageOptions { MaxBatchSize = -1 }, TimeProvider.System, NullLogger<SqliteStorageProvider>.Instance));
    }

    [Fact]
    public void PostgresOptions_Defaults_AreTheDocumentedOnes()
    {
        var options = new PostgresStorageOptions();

        Assert.Equal("", options.ConnectionString);
        Assert.Equal(128, options.MaxBatchSize);
    }

    [Fact]
    public void PostgresOptions_EmptyConnectionString_IsRejectedSayingWhatToSet()
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresStorageOptions().Validate());

        Assert.Contains("PostgresStorageOptions.ConnectionString is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresOptions_UnknownKeyword_IsRejectedWithoutThePassword()
    {
        const string password = "Hidden-Pa55word";
        var options = new PostgresStorageOptions { ConnectionString = $"Host=db;Password={password};Colour=blue" };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("not a valid Npgsql connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresOptions_NoHost_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresStorageOptions { ConnectionString = "Database=nexus" }.Validate());

        Assert.Contains("names no Host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresOptions_MaxBatchSizeZero_IsRejectedSayingTheMinimum()
    {
        var options = new PostgresStorageOptions { ConnectionString = "Host=db", MaxBatchSize = 0 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("MaxBatchSize is 0; it must be at least 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresDataSource_ByDefault_PreparesRepeatedStatements()
    {
        await using var dataSource = PostgresStorageProvider.CreateDataSource("Host=db;Database=nexus");

        Assert.Equal(32, new Npgsql.NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public async Task PostgresDataSource_WithMaxAutoPrepareInTheConnectionString_KeepsIt()
    {
        await using var dataSource = PostgresStorageProvider.CreateDataSource("Host=db;Database=nexus;Max Auto Prepare=0");

        Assert.Equal(0, new Npgsql.NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare);
    }
}
