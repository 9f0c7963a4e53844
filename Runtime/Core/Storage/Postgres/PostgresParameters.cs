using Npgsql;
using NpgsqlTypes;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>Typed positional parameters ($1, $2 …), so the server never has to guess a type.</summary>
internal static class PostgresParameters
{
    /// <summary>Owner epoch written by a single silo; the cluster will pass the owner's fencing epoch instead.</summary>
    public const long SingleSiloOwnerEpoch = 0;

    public static NpgsqlParameter Text(string value) => new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = value };

    public static NpgsqlParameter Integer(int value) => new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = value };

    public static NpgsqlParameter Bigint(long value) => new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = value };

    public static NpgsqlParameter Bytes(byte[]? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Bytea, Value = value is null ? DBNull.Value : value };

    public static NpgsqlParameter Time(DateTimeOffset value) =>
        new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = value.ToUniversalTime() };

    public static NpgsqlParameter Time(DateTimeOffset? value) =>
        value is { } time ? Time(time) : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = DBNull.Value };

    public static NpgsqlParameter[] Grain(GrainId grainId, string name) => [Text(grainId.Type.Name), Text(grainId.Key), Text(name)];
}
