using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tests.Secrets;

/// <summary>What every secret store must do; each implementation's test class runs these.</summary>
public abstract class SecretStoreContract
{
    protected abstract ISecretStore Store { get; }

    private static string NewName() => "ws-contract-" + Guid.NewGuid().ToString("N")[..8] + "-client-secret";

    [Fact]
    public async Task Set_returns_a_version_that_reads_back()
    {
        var name = NewName();
        var first = await Store.SetAsync(name, "value-one", default);
        var second = await Store.SetAsync(name, "value-two", default);
        Assert.Equal(name, first.Name);
        Assert.NotEqual(first.Version, second.Version);
        Assert.Equal("value-one", await Store.GetAsync(first, default));
        Assert.Equal("value-two", await Store.GetAsync(second, default));
    }

    [Fact]
    public async Task A_disabled_version_no_longer_reads_and_others_still_do()
    {
        var name = NewName();
        var old = await Store.SetAsync(name, "old", default);
        var current = await Store.SetAsync(name, "current", default);
        await Store.DisableAsync(old, default);
        await Store.DisableAsync(old, default);
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(old, default));
        Assert.Equal("current", await Store.GetAsync(current, default));
    }

    [Fact]
    public async Task Delete_removes_every_version_and_is_idempotent()
    {
        var name = NewName();
        var one = await Store.SetAsync(name, "1", default);
        var two = await Store.SetAsync(name, "2", default);
        await Store.DeleteAsync(name, default);
        await Store.DeleteAsync(name, default);
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(one, default));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(two, default));
    }

    [Fact]
    public async Task Unknown_names_and_versions_are_not_found()
    {
        var known = await Store.SetAsync(NewName(), "x", default);
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(new SecretReference(NewName(), "0123"), default));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(known with { Version = "ffff" }, default));
    }

    [Fact]
    public async Task Latest_is_the_newest_version_and_reads_as_absent_once_it_is_disabled()
    {
        var name = NewName();
        Assert.Null(await Store.GetLatestAsync(name, default));
        var first = await Store.SetAsync(name, "first", default);
        Assert.Equal((first, "first"), await Store.GetLatestAsync(name, default));
        var second = await Store.SetAsync(name, "second", default);
        Assert.Equal((second, "second"), await Store.GetLatestAsync(name, default));

        await Store.DisableAsync(first, default);
        Assert.Equal((second, "second"), await Store.GetLatestAsync(name, default));
        await Store.DisableAsync(second, default);
        Assert.Null(await Store.GetLatestAsync(name, default));

        var third = await Store.SetAsync(name, "third", default);
        Assert.Equal((third, "third"), await Store.GetLatestAsync(name, default));
        await Store.DeleteAsync(name, default);
        Assert.Null(await Store.GetLatestAsync(name, default));
    }

    [Fact]
    public async Task Latest_after_concurrent_writes_is_one_of_them_and_reads_back_by_version()
    {
        var name = NewName();
        var written = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Store.SetAsync(name, $"value-{i}", default)));
        var latest = await Store.GetLatestAsync(name, default);
        Assert.NotNull(latest);
        var index = Array.IndexOf(written, latest.Value.Reference);
        Assert.True(index >= 0, "latest is not one of the written versions");
        Assert.Equal($"value-{index}", latest.Value.Value);
        Assert.Equal(latest.Value.Value, await Store.GetAsync(latest.Value.Reference, default));
    }

    [Fact]
    public async Task Check_passes_when_the_store_answers() => await Store.CheckAsync(default);

    [Fact]
    public async Task Values_survive_unicode_and_length()
    {
        var value = "ünïcødé-" + new string('z', 4000);
        var reference = await Store.SetAsync(NewName(), value, default);
        Assert.Equal(value, await Store.GetAsync(reference, default));
    }
}
