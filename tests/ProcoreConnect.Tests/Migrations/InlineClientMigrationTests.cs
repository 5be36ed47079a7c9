using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using ProcoreConnect.Clients;
using ProcoreConnect.Migrations;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Security;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Migrations;

/// <summary>Rows written before OAuth clients and partner-scoped ids, moved without losing a refresh token.</summary>
public sealed class InlineClientMigrationTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private const string Partner = AppFactory.DefaultPartner;

    private ISecretStore Secrets => fixture.App.Service<ISecretStore>();

    // A row as the previous version wrote it: PartitionKey = RowKey = id, credentials inline.
    private async Task<string> LegacyWorkspaceAsync(
        SimulatedClient client, string authFlow, string status = "connected", DateTimeOffset? secretUpdatedAt = null, string? secret = null)
    {
        var id = Connections.NewId();
        var prefix = $"ws-{id}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
        var clientSecret = await Secrets.SetAsync(SecretNames.ClientSecret(prefix), secret ?? client.ClientSecret, default);
        var now = fixture.Clock.GetUtcNow();
        var row = new TableEntity(id, id)
        {
            ["OwnerPartnerId"] = Partner, ["CompanyId"] = 1001L, ["Environment"] = "sandbox", ["AuthFlow"] = authFlow, ["ClientId"] = client.ClientId,
            ["SecretPrefix"] = prefix, ["ClientSecretName"] = clientSecret.Name, ["ClientSecretVersion"] = clientSecret.Version,
            ["ClientSecretUpdatedAt"] = secretUpdatedAt ?? now, ["Status"] = status, ["CreatedAt"] = now, ["UpdatedAt"] = now,
        };
        if (authFlow == "authorization_code" && status == "connected")
        {
            var code = fixture.Simulator.State.IssueCode(client.ClientId, "https://cb.example.com", null);
            var issued = JsonSerializer.Deserialize<ProcoreTokenResponse>(JsonSerializer.Serialize(fixture.Simulator.State.ExchangeCode(client, code, "https://cb.example.com", null).Body))!;
            var tokens = await Secrets.SetAsync(SecretNames.Tokens(prefix), new TokenSecret(issued.AccessToken, issued.RefreshToken).Serialize(), default);
            row["TokensName"] = tokens.Name;
            row["TokensVersion"] = tokens.Version;
            row["AccessTokenIssuedAt"] = now;
            row["AccessTokenExpiresAt"] = now.AddSeconds(issued.ExpiresIn);
            row["RefreshDueAt"] = now.AddSeconds(issued.ExpiresIn).AddMinutes(-10);
        }

        var table = await fixture.App.Service<TableStore>().GetAsync(WorkspaceRepository.TableName, default);
        await table.AddEntityAsync(row);
        return id;
    }

    private async Task<MigrationReport> MigrateAsync()
    {
        var admin = fixture.App.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        var response = await admin.PostAsync("/api/migrations/inline-clients", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<MigrationReport>();
    }

    [Fact]
    public async Task Inline_credentials_become_clients_and_connected_workspaces_keep_their_refresh_tokens()
    {
        var app = fixture.Simulator.Register();
        var account = fixture.Simulator.Register();
        var connected = await LegacyWorkspaceAsync(app, "authorization_code");
        var stale = await LegacyWorkspaceAsync(app, "authorization_code", status: "pending", secretUpdatedAt: fixture.Clock.GetUtcNow().AddDays(-30), secret: "an-older-secret");
        var service = await LegacyWorkspaceAsync(account, "client_credentials", status: "connected");
        var deleting = await LegacyWorkspaceAsync(app, "authorization_code", status: "deleting");
        var index = await fixture.App.Service<TableStore>().GetAsync(RefreshDueIndex.TableName, default);
        await index.AddEntityAsync(new TableEntity("due", "000000000001_" + connected) { ["WorkspaceId"] = connected, ["DueAt"] = DateTimeOffset.UnixEpoch });
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/workspaces/{connected}/connection")).StatusCode);

        var report = await MigrateAsync();

        Assert.Equal(new MigrationReport(3, 2, 1, 1), report);
        var views = new Dictionary<string, ConnectionResponse>();
        foreach (var id in new[] { connected, stale, service })
        {
            views[id] = await (await fixture.Client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>();
        }

        Assert.Equal(views[connected].OAuthClient, views[stale].OAuthClient); // one client per partner and credentials
        Assert.StartsWith("migrated-", views[connected].OAuthClient, StringComparison.Ordinal);
        Assert.NotEqual(views[connected].OAuthClient, views[service].OAuthClient);
        Assert.Equal(AuthFlow.ClientCredentials, views[service].AuthFlow);
        Assert.Equal(WorkspaceStatus.Connected, views[connected].Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/workspaces/{deleting}/connection")).StatusCode);

        // The client holds the newest of the workspaces' secrets; their own copies are gone.
        var client = (await fixture.App.Service<OAuthClientRepository>().FindAsync(new OAuthClientRef(Partner, views[connected].OAuthClient), default))!;
        Assert.Equal(app.ClientSecret, await Secrets.GetAsync(client.ClientSecret, default));
        Assert.Null(await Secrets.GetLatestAsync(SecretNames.ClientSecret((await fixture.App.Service<WorkspaceRepository>().FindAsync(connected, default))!.SecretPrefix), default));

        // The refresh token came along: the due workspace refreshes at Procore, and is in the index once.
        var migrated = (await fixture.App.Service<WorkspaceRepository>().FindAsync(connected, default))!;
        var due = await fixture.App.Service<RefreshDueIndex>().DueAsync(fixture.Clock.GetUtcNow().AddDays(1), 10_000, default);
        Assert.Equal([migrated.Due()], due.Where(e => e.IsFor(connected)));
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        var before = await fixture.Simulator.StatsAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/workspaces/{connected}/token")).StatusCode);
        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal(1, after.RefreshTokenGrants - before.RefreshTokenGrants);
        Assert.Equal(before.RefreshTokenReuses, after.RefreshTokenReuses);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/workspaces/{service}/token")).StatusCode);

        Assert.Equal(new MigrationReport(0, 0, 0, 0), await MigrateAsync());
    }
}
