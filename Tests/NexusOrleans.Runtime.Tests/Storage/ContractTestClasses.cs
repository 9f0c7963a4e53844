using NexusOrleans.Testing;
using Xunit;

namespace NexusOrleans.Runtime.Tests.Storage;

public sealed class InMemoryGrainStorageTests : GrainStorageContractTests
{
    protected override TestStore CreateStore() => new MemoryTestStore();
}

public sealed class SqliteGrainStorageTests : GrainStorageContractTests
{
    protected override TestStore CreateStore() => new SqliteTestStore();
}

public sealed class PostgresGrainStorageTests(PostgresDatabaseFixture database) : GrainStorageContractTests, IClassFixture<PostgresDatabaseFixture>
{
    protected override TestStore CreateStore() => new PostgresTestStore(database.ConnectionString);
}

public sealed class InMemoryReminderTableTests : ReminderTableContractTests
{
    protected override TestStore CreateStore() => new MemoryTestStore();
}

public sealed class SqliteReminderTableTests : ReminderTableContractTests
{
    protected override TestStore CreateStore() => new SqliteTestStore();
}

public sealed class PostgresReminderTableTests(PostgresDatabaseFixture database) : ReminderTableContractTests, IClassFixture<PostgresDatabaseFixture>
{
    protected override TestStore CreateStore() => new PostgresTestStore(database.ConnectionString);
}
