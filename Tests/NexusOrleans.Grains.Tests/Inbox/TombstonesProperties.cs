using FsCheck;
using FsCheck.Fluent;
using NexusOrleans.Grains.Inbox;

namespace NexusOrleans.Grains.Tests.Inbox;

/// <summary>
/// Random runs of adds, expiry changes, removals and sweeps on <see cref="Tombstones"/> against a dictionary: after
/// every step both hold the same ids with the same expiries, the earliest expiry agrees, and the stored records read
/// back to the same set.
/// </summary>
public sealed class TombstonesProperties
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Ids = [.. Enumerable.Range(0, 12).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)i])))];

    private static readonly Gen<(int Kind, int Id, int Minutes)> Steps =
        from kind in Gen.Choose(0, 9)
        from id in Gen.Choose(0, Ids.Length - 1)
        from minutes in Gen.Choose(0, 360)
        select (kind, id, minutes);

    [Fact]
    public void Tombstones_BehaveAsADictionaryOfIdToExpiry_AndTheirRecordsReadBackTheSame()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Gen.ListOf(Steps).ToArbitrary(), steps =>
        {
            var tombstones = new Tombstones();
            var model = new Dictionary<string, DateTimeOffset>();
            foreach (var (kind, index, minutes) in steps)
            {
                var id = Ids[index];
                var at = Start.AddMinutes(minutes);
                switch (kind)
                {
                    case < 5:
                        tombstones[id] = at;
                        model[id] = at;
                        break;
                    case < 8:
                        Assert.Equal(model.Remove(id), tombstones.Remove(id));
                        break;
                    default:
                        var expired = model.Where(pair => pair.Value <= at).Select(pair => pair.Key).ToList();
                        expired.ForEach(key => model.Remove(key));
                        Assert.Equal(expired.Count, tombstones.RemoveExpired(at));
                        break;
                }

                AssertSame(model, tombstones);
                AssertSame(model, Tombstones.FromRecords(tombstones.Records));
                Assert.Equal(model.Count == 0 ? null : model.Values.Min(), tombstones.Earliest());
            }
        }));
    }

    [Fact]
    public void Records_AreFortyBytesEach_TheIdThenTheExpiryTicksBigEndian()
    {
        var tombstones = new Tombstones();
        var expiry = Start.AddTicks(0x0102);

        tombstones[Ids[0]] = expiry;

        var record = tombstones.Records.ToArray();
        Assert.Equal(40, record.Length);
        Assert.Equal(Ids[0], Convert.ToHexStringLower(record.AsSpan(0, 32)));
        Assert.Equal(expiry.UtcTicks, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(record.AsSpan(32)));
    }

    [Fact]
    public void AMissingId_IsNotFound_AndGettingItSaysSo()
    {
        var tombstones = new Tombstones();

        Assert.False(tombstones.TryGetValue(Ids[1], out _));
        Assert.False(tombstones.Remove(Ids[1]));
        Assert.Throws<KeyNotFoundException>(() => tombstones[Ids[1]]);
        Assert.Null(tombstones.Earliest());
    }

    private static void AssertSame(Dictionary<string, DateTimeOffset> model, Tombstones tombstones)
    {
        Assert.Equal(model.Count, tombstones.Count);
        Assert.Equal(model.OrderBy(pair => pair.Key), tombstones.OrderBy(pair => pair.Key));
        foreach (var (id, expiresAt) in model)
        {
            Assert.True(tombstones.TryGetValue(id, out var actual));
            Assert.Equal(expiresAt, actual);
        }
    }
}
