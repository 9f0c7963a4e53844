namespace NexusOrleans.CodeGenerator.Tests.Sources;

/// <summary>Grain interfaces using every shape of signature the generator must write correctly.</summary>
internal static class BroadInterfaces
{
    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics.CodeAnalysis;
        using System.Threading.Tasks;
        using NexusOrleans.Runtime;
        using NexusOrleans.Runtime.Concurrency;

        namespace Shop.Catalog.Grains
        {
            public interface IPingable : IGrain
            {
                Task Ping();
            }

            public interface IPricing : IGrain
            {
                Task<decimal> Price(string sku);
            }

            public interface IStock : IGrain
            {
                Task<int> Count(string sku);

                // Same signature as IPricing.Price: the proxy needs two explicit implementations.
                Task<decimal> Price(string sku);
            }

            public interface IProduct : IPricing, IStock, IPingable, IRemindable
            {
                Task Rename(string name);
                Task<string> Describe();
                ValueTask Touch();
                ValueTask<int?> Rating(int? minimum);
                Task<string?> FindTag(string? prefix);
                Task Tag(string tag);
                Task Tag(string tag, int weight);
                Task Tag(List<string?> tags);
                Task<IReadOnlyDictionary<string, List<int?>>> Histogram(int[] buckets, string?[]? labels);
                Task<(int Count, string? Name)> Summary((int, string) pair, ValueTuple<long>? single);
                Task Log(params string[] lines);
                Task Publish(string @event, int @class, object @object);
                Task @checked();
                Task<int> WithDefaults(int x = 5, string? s = null, DayOfWeek day = DayOfWeek.Monday);
                Task<dynamic> Dynamic(dynamic value, dynamic? maybe);
                Task Annotated([AllowNull] string allowed, [DisallowNull] string? disallowed, [DisallowNull] int? number);
                Task Names(string request, string target, string sink, string grainId, string InvokeAsync, string Arg0, string global);
                Task<Func<int, string?>> Delegate(Action<string?>? callback);
                Task<int[][]> Jagged(int[,] matrix);
                [Obsolete("use Describe")] Task<string> OldDescribe();

                [ReadOnly]
                Task<string> Peek();

                // Neither of these needs a proxy implementation.
                static Task Helper() => Task.CompletedTask;
                Task Defaulted() => Task.CompletedTask;
                string Label => "product";
            }

            internal interface IInternalGrain : IGrain
            {
                Task<int> Hidden();
                internal Task<int> InternalMember();
                protected internal Task<int> ProtectedInternalMember();
            }

            // Hides IPingable.Ping: the proxy implements both.
            public interface IRepinged : IPingable
            {
                new Task Ping();
            }

            public class Outer
            {
                public interface INested : IGrain
                {
                    Task Nested();
                }

                internal interface INestedInternal : IGrain
                {
                    Task<Outer.INested?> Self();
                }

                protected internal interface IProtectedInternal : IGrain
                {
                    Task Nested();
                }
            }

            public interface IProductObserver : IGrainObserver
            {
                Task OnChanged(string what);
                ValueTask OnDeleted();
            }

            public interface IDisposableGrain : IGrain, IAsyncDisposable;

            [Obsolete("gone")]
            public interface IObsoleteGrain : IGrain
            {
                Task Old();
            }

            public partial interface IPartial : IGrain
            {
                Task One();
            }

            public partial interface IPartial
            {
                Task Two();
            }
        }

        namespace Other
        {
            public interface IPingable : NexusOrleans.Runtime.IGrain
            {
                System.Threading.Tasks.Task Ping();
            }
        }

        // Both sanitize naively to A_B_C_IFoo; their proxies must still have different names.
        namespace A.B_C
        {
            public interface IFoo : NexusOrleans.Runtime.IGrain;
        }

        namespace A_B.C
        {
            public interface IFoo : NexusOrleans.Runtime.IGrain;
        }

        public interface IGlobal : NexusOrleans.Runtime.IGrain
        {
            System.Threading.Tasks.Task Ping();
        }

        // Not grain interfaces: no proxies.
        public interface IPlain : System.IDisposable;
        """;

    /// <summary>Every grain or observer interface declared in <see cref="Source"/>, by full name.</summary>
    public static readonly string[] GrainInterfaces =
    [
        "A.B_C.IFoo",
        "A_B.C.IFoo",
        "IGlobal",
        "Other.IPingable",
        "Shop.Catalog.Grains.IDisposableGrain",
        "Shop.Catalog.Grains.IInternalGrain",
        "Shop.Catalog.Grains.IObsoleteGrain",
        "Shop.Catalog.Grains.IPartial",
        "Shop.Catalog.Grains.IPingable",
        "Shop.Catalog.Grains.IPricing",
        "Shop.Catalog.Grains.IProduct",
        "Shop.Catalog.Grains.IProductObserver",
        "Shop.Catalog.Grains.IRepinged",
        "Shop.Catalog.Grains.IStock",
        "Shop.Catalog.Grains.Outer.INested",
        "Shop.Catalog.Grains.Outer.INestedInternal",
        "Shop.Catalog.Grains.Outer.IProtectedInternal",
    ];
}
