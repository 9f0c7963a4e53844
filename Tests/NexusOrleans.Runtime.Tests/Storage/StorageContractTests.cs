using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing;
using Xunit;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>Base of the contract suites: each test gets a fresh store and one initialized provider over it.</summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    private TestStore? _store;
    private IStorageProvider? _provider;

    /// <summary>The provider under test.</summary>
    protected IStorageProvider Provider => _provider ?? throw new InvalidOperationException("The provider is created by InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        _store = CreateStore();
        _provider = _store.CreateProvider();
        await _provider.InitializeAsync(Ct).WithTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>An empty store of the provider kind under test.</summary>
    protected abstract TestStore CreateStore();
}
