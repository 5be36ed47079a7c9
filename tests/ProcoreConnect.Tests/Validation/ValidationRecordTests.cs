using System.Net;
using System.Text.Json;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Validation;

/// <summary>A check's result is the workspace's at once, whoever ran it: <c>validate</c> and a sign-in record it as the daily check does.</summary>
public sealed class ValidationRecordTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private static HttpClient NewPartner(ProcoreFixture fixture) =>
        fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8], ProcoreFixture.NoRedirectsNoCookies);

    private static async Task<ConnectionResponse> ReadAsync(HttpClient partner, string id) =>
        await (await partner.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>();

    [Fact]
    public async Task Validate_records_a_failed_check_and_needs_attention_shows_it_at_once()
    {
        var partner = NewPartner(fixture);
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(hasPermissions: false), "client_credentials", caller: partner);
        (await partner.GetAsync($"/api/workspaces/{id}/token")).EnsureSuccessStatusCode();
        Assert.Null((await ReadAsync(partner, id)).LastCheckedAt);

        var response = await partner.PostAsync($"/api/workspaces/{id}/validate", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadAsync<ProcoreConnect.Validation.ValidationReport>();
        Assert.False(report.Ok);
        var recorded = await ReadAsync(partner, id);
        Assert.Equal(fixture.Clock.GetUtcNow(), recorded.LastCheckedAt);
        Assert.False(recorded.LastCheckOk);
        Assert.Equal(report.Fix, recorded.LastError);
        var reason = Assert.Single(recorded.LastCheckReasons);
        Assert.Equal("companies", reason.Check);
        Assert.Equal("check_failing", recorded.BrokenReason);

        var attention = await (await partner.GetAsync("/api/workspaces/needs-attention")).ReadJsonAsync();
        var listed = Assert.Single(attention.GetProperty("workspaces").EnumerateArray());
        Assert.Equal(id, listed.GetProperty("workspaceId").GetString());
        var why = Assert.Single(listed.GetProperty("reasons").EnumerateArray());
        Assert.Equal("check_failing", why.GetProperty("code").GetString());
        Assert.Contains("companies: 403 Forbidden", why.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(report.Fix!, why.GetProperty("action").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passing_validate_clears_what_a_failed_one_recorded()
    {
        var partner = NewPartner(fixture);
        var app = fixture.Simulator.Register(hasPermissions: false);
        var id = await fixture.CreateWorkspaceAsync(app, "client_credentials", caller: partner);
        (await partner.GetAsync($"/api/workspaces/{id}/token")).EnsureSuccessStatusCode();
        await partner.PostAsync($"/api/workspaces/{id}/validate", null);
        Assert.False((await ReadAsync(partner, id)).LastCheckOk);
        fixture.Simulator.State.Register(app with { HasPermissions = true });

        (await partner.PostAsync($"/api/workspaces/{id}/validate", null)).EnsureSuccessStatusCode();

        var recorded = await ReadAsync(partner, id);
        Assert.True(recorded.LastCheckOk);
        Assert.Empty(recorded.LastCheckReasons);
        Assert.Null(recorded.BrokenReason);
        Assert.Empty((await (await partner.GetAsync("/api/workspaces/needs-attention")).ReadJsonAsync()).GetProperty("workspaces").EnumerateArray());
    }

    [Fact]
    public async Task The_check_after_a_sign_in_is_recorded()
    {
        var partner = NewPartner(fixture);
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);

        var (callback, _) = await new Browser(partner, fixture.Simulator.BaseUrl).ConnectAsync(id);

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        var recorded = await ReadAsync(partner, id);
        Assert.Equal(WorkspaceStatus.Connected, recorded.Status);
        Assert.Equal(fixture.Clock.GetUtcNow(), recorded.LastCheckedAt);
        Assert.True(recorded.LastCheckOk);
    }

    [Fact]
    public async Task Validating_a_workspace_nobody_connected_records_the_check_but_breaks_nothing()
    {
        var partner = NewPartner(fixture);
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);

        await partner.PostAsync($"/api/workspaces/{id}/validate", null);

        var recorded = await ReadAsync(partner, id);
        Assert.False(recorded.LastCheckOk);
        Assert.Equal("token", Assert.Single(recorded.LastCheckReasons).Check);
        Assert.Null(recorded.BrokenSince);
        var listed = Assert.Single((await (await partner.GetAsync("/api/workspaces/needs-attention")).ReadJsonAsync()).GetProperty("workspaces").EnumerateArray());
        Assert.Equal(["not_connected"], listed.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
    }
}
