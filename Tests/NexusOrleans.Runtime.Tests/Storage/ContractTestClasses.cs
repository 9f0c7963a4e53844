using Xunit;

namespace NexusOrleans.Runtime.Tests.Storage;

public sealed class InMemoryGrainStorageTests : GrainStorageContractTests
{
    protected override IStorageTarget CreateTarget() => new MemoryTarget();
}

public sealed class SqliteGrainStorageTests : GrainStorageContractTests
{
    protected override IStorageTarget CreateTarget() => new SqliteTarget();
}

public sealed class PostgresGrainStorageTests(PostgresDatabaseFixture database) : GrainStorageContractTests, IClassFixture<PostgresDatabaseFixture>
{
    protected override IStorageTarget CreateTarget() => new PostgresTarget(database.ConnectionString);
}

public sealed class InMemoryReminderTableTests : ReminderTableContractTests
{
    protected override IStorageTarget CreateTarget() => new MemoryTarget();
}

public sealed class SqliteReminderTableTests : ReminderTableContractTests
{
    protected override IStorageTarget CreateTarget() => new SqliteTarget();
}

public sealed class PostgresReminderTableTests(PostgresDatabaseFixture database) : ReminderTableContractTests, IClassFixture<PostgresDatabaseFixture>
{
    protected override IStorageTarget CreateTarget() => new PostgresTarget(database.ConnectionString);
}
