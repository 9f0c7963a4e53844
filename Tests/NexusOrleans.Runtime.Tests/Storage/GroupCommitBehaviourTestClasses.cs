using NexusOrleans.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Runtime.Storage.Sqlite;
using Xunit;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Storage;

public sealed class SqliteGroupCommitTests : GroupCommitBehaviourTests
{
    protected override TestStore CreateStore(int maxBatchSize) => new SqliteTestStore(maxBatchSize);

    protected override long CommittedBatches(IStorageProvider provider) => ((SqliteStorageProvider)provider).CommittedBatches;

    protected override long CommittedOperations(IStorageProvider provider) => ((SqliteStorageProvider)provider).CommittedOperations;

    protected override async Task InstallPoisonTriggerAsync(TestStore target, string grainKey)
    {
        await using var connection = new SqliteConnection($"Data Source={((SqliteTestStore)target).DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "CREATE TRIGGER nexus_test_poison BEFORE INSERT ON nexus_grain_state " +
            "WHEN NEW.grain_key = $key BEGIN SELECT RAISE(ABORT, 'poisoned row'); END;";
        command.CommandText = command.CommandText.Replace("$key", $"'{grainKey}'", StringComparison.Ordinal);
        await command.ExecuteNonQueryAsync(Ct);
    }
}

public sealed class PostgresGroupCommitTests(PostgresDatabaseFixture database) : GroupCommitBehaviourTests, IClassFixture<PostgresDatabaseFixture>
{
    protected override TestStore CreateStore(int maxBatchSize) => new PostgresTestStore(database.ConnectionString, maxBatchSize);

    protected override long CommittedBatches(IStorageProvider provider) => ((PostgresStorageProvider)provider).CommittedBatches;

    protected override long CommittedOperations(IStorageProvider provider) => ((PostgresStorageProvider)provider).CommittedOperations;

    protected override async Task InstallPoisonTriggerAsync(TestStore target, string grainKey)
    {
        // Grain keys in these tests are hex GUIDs, safe to splice into the trigger's text.
        await using var connection = new NpgsqlConnection(((PostgresTestStore)target).ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            $"""
            CREATE FUNCTION nexus_test_poison_{grainKey}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.grain_key = '{grainKey}' THEN RAISE EXCEPTION 'poisoned row'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER nexus_test_poison_{grainKey} BEFORE INSERT OR UPDATE ON nexus_grain_state
                FOR EACH ROW EXECUTE FUNCTION nexus_test_poison_{grainKey}();
            """,
            connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
