using System.Net;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tests.Refresh;

namespace ProcoreConnect.Tests.Security;

/// <summary>Unknown API key ids are remembered for a while, in bounded memory, and never hide a key created here.</summary>
public sealed class UnknownKeyTests : IDisposable
{
    private const int CacheSize = 4;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly TableRequests _requests = new();
    private readonly AppFactory _app;

    public UnknownKeyTests()
    {
        var options = new TableClientOptions();
        options.AddPolicy(_requests, HttpPipelinePosition.PerCall);
        _app = AppFactory.With(new Dictionary<string, string?>
            {
                ["Auth:UnknownKeyCacheDuration"] = "00:00:30",
                ["Auth:UnknownKeyCacheSize"] = CacheSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            })
            .WithServices(s => s
                .AddSingleton(new TableServiceClient(Azurite.Instance.ConnectionString, options))
                .AddSingleton<TimeProvider>(_clock));
    }

    public void Dispose() => _app.Dispose();

    private static string UnknownId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    private async Task<HttpStatusCode> ListWorkspacesWithAsync(string key)
    {
        var client = _app.AnonymousClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        return (await client.GetAsync("/api/workspaces")).StatusCode;
    }

    private int KeyReads => _requests.Of(PartnerKeyStore.TableName, "GET");

    [Fact]
    public async Task An_unknown_key_presented_again_costs_no_table_read_until_the_memory_of_it_ends()
    {
        var key = $"pck_{UnknownId()}_bad-secret";
        _ = _app.Services;
        _requests.Clear();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await ListWorkspacesWithAsync(key));
        }

        Assert.Equal(1, KeyReads);
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListWorkspacesWithAsync(key));
        Assert.Equal(2, KeyReads);
    }

    [Fact]
    public async Task Random_unknown_ids_fill_no_more_than_the_configured_memory()
    {
        for (var i = 0; i < CacheSize * 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await ListWorkspacesWithAsync($"pck_{UnknownId()}_x"));
        }

        Assert.Equal(CacheSize, _app.Service<PartnerKeyStore>().UnknownKeys);
        // Once they are old, the next unknown id sweeps them out.
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListWorkspacesWithAsync($"pck_{UnknownId()}_x"));
        Assert.Equal(1, _app.Service<PartnerKeyStore>().UnknownKeys);
    }

    [Fact]
    public async Task A_key_created_here_is_accepted_at_once_even_if_its_id_was_remembered_as_unknown()
    {
        var keyId = UnknownId();
        Assert.Equal(HttpStatusCode.Unauthorized, await ListWorkspacesWithAsync($"pck_{keyId}_guess"));
        Assert.Equal(1, _app.Service<PartnerKeyStore>().UnknownKeys);

        var created = await _app.Service<PartnerKeyStore>().CreateAsync("partner-new", "tests", keyId, default);

        Assert.Equal(HttpStatusCode.OK, await ListWorkspacesWithAsync(created.Key));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListWorkspacesWithAsync($"pck_{keyId}_guess"));
    }
}
