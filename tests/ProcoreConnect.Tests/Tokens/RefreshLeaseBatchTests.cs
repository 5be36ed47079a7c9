using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Tests.Tokens;

/// <summary>The sweep takes and releases leases a batch per transaction, with the single-lease rules.</summary>
public sealed class RefreshLeaseBatchTests
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly RefreshLeaseStore _leases;

    public RefreshLeaseBatchTests()
    {
        var tables = new TableStore(
            new TableServiceClient(Azurite.Instance.ConnectionString),
            Options.Create(new StorageOptions { TablePrefix = Azurite.NewPrefix() }));
        _leases = new RefreshLeaseStore(tables, _clock, Options.Create(new TokenOptions { LeaseDuration = TimeSpan.FromSeconds(60) }));
    }

    private static List<string> Ids(int count) => [.. Enumerable.Range(0, count).Select(i => $"ws-{i:D3}")];

    [Fact]
    public async Task A_batch_of_free_leases_is_taken_whole_and_each_lease_excludes_everyone_else()
    {
        var ids = Ids(TableTransactions.MaxOperations);

        var held = await _leases.TryAcquireAllAsync(ids, "sweep", default);

        Assert.Equal(ids, held.Keys.Order());
        Assert.All(held.Values, l => Assert.NotEqual(default, l.ETag));
        Assert.Null(await _leases.TryAcquireAsync(ids[42], "other", default));
        Assert.Empty(await _leases.TryAcquireAllAsync(ids[..3], "other", default));

        await _leases.ReleaseAllAsync([.. held.Values], default);

        Assert.NotNull(await _leases.TryAcquireAsync(ids[42], "other", default));
    }

    [Fact]
    public async Task A_lease_held_elsewhere_is_left_out_and_the_rest_are_taken()
    {
        var ids = Ids(10);
        var theirs = (await _leases.TryAcquireAsync(ids[3], "other", default))!;

        var held = await _leases.TryAcquireAllAsync(ids, "sweep", default);

        Assert.Equal(ids.Where(id => id != ids[3]), held.Keys.Order());
        await _leases.ReleaseAllAsync([.. held.Values], default);
        Assert.Null(await _leases.TryAcquireAsync(ids[3], "third", default)); // still theirs
        Assert.NotNull(await _leases.TryAcquireAsync(ids[4], "third", default));
        await _leases.ReleaseAsync(theirs, default);
    }

    [Fact]
    public async Task Releasing_a_batch_never_releases_a_lease_taken_over_after_it_expired()
    {
        var ids = Ids(5);
        var held = await _leases.TryAcquireAllAsync(ids, "sweep", default);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var takenOver = await _leases.TryAcquireAsync(ids[2], "other", default);
        Assert.NotNull(takenOver);

        await _leases.ReleaseAllAsync([.. held.Values], default);

        _clock.Advance(TimeSpan.FromSeconds(-61)); // back within the new holder's time
        Assert.Null(await _leases.TryAcquireAsync(ids[2], "third", default));
        Assert.NotNull(await _leases.TryAcquireAsync(ids[1], "third", default));
    }
}
