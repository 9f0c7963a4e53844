using Npgsql;
using NpgsqlTypes;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>Typed positional parameters ($1, $2 …), so the server never has to guess a type.</summary>
internal static class PostgresParameters
{
    public static NpgsqlParameter Text(string value) => new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = value };

    public static NpgsqlParameter Integer(int value) => new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = value };

    public static NpgsqlParameter Bigint(long value) => new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = value };

    public static NpgsqlParameter Bytes(byte[]? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Bytea, Value = value is null ? DBNull.Value : value };

    public static NpgsqlParameter Time(DateTimeOffset value) =>
        new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = value.ToUniversalTime() };

    public static NpgsqlParameter Time(DateTimeOffset? value) =>
        value is { } time ? Time(time) : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = DBNull.Value };

    /// <summary>The owner fence of a change: partition, then epoch (0 for a single silo, which no lease is checked against).</summary>
    public static NpgsqlParameter[] Fence(OwnerFence fence) => [Integer(fence.Partition), Bigint(fence.Epoch)];

    public static NpgsqlParameter IntegerArray(IEnumerable<int> values) =>
        new NpgsqlParameter<int[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, TypedValue = [.. values] };

    public static NpgsqlParameter BigintArray(IEnumerable<long> values) =>
        new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = [.. values] };

    public static NpgsqlParameter[] Grain(GrainId grainId, string name) => [Text(grainId.Type.Name), Text(grainId.Key), Text(name)];
}
