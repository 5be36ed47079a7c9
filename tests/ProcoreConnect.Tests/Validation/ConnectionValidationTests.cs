using System.Net;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Validation;

namespace ProcoreConnect.Tests.Validation;

public sealed class ConnectionValidationTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private async Task<ValidationReport> ValidateAsync(string id)
    {
        var response = await fixture.Client.PostAsync($"/api/workspaces/{id}/validate", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ValidationReport>();
    }

    [Fact]
    public async Task A_service_account_without_permissions_is_diagnosed()
    {
        var account = fixture.Simulator.Register(hasPermissions: false);
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");

        var report = await ValidateAsync(id);

        Assert.False(report.Ok);
        Assert.True(report.Checks.Single(c => c.Name == "token").Ok);
        var companies = report.Checks.Single(c => c.Name == "companies");
        Assert.False(companies.Ok);
        Assert.Equal(403, companies.HttpStatus);
        Assert.Contains("manifest lacks the permission", report.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dmsa_in_a_company_that_did_not_install_the_app_is_told_to_install_it()
    {
        var account = fixture.Simulator.Register(true, 2002, 3003);
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials", companyId: 1001);

        var report = await ValidateAsync(id);

        Assert.False(report.Ok);
        Assert.Equal(403, report.Checks.Single(c => c.Name == "me").HttpStatus);
        Assert.Contains("not installed there", report.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_client_credentials_are_diagnosed()
    {
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account with { ClientSecret = "not-the-secret" }, "client_credentials");
        var report = await ValidateAsync(id);
        Assert.False(report.Ok);
        Assert.Contains("Procore refused the client credentials", report.Fix, StringComparison.Ordinal);
        Assert.Contains("Copy the client id and secret again", report.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_credentials_are_diagnosed()
    {
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        Assert.True((await ValidateAsync(id)).Ok);
        fixture.Simulator.State.RevokeClient(account.ClientId);

        var report = await ValidateAsync(id);

        Assert.False(report.Ok);
        Assert.Equal(401, report.Checks.Single(c => c.Name == "me").HttpStatus);
        Assert.Contains("revoked", report.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_code_flow_workspace_is_told_to_connect()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        var report = await ValidateAsync(id);
        Assert.False(report.Ok);
        Assert.Contains("/connect", report.Fix, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.PostAsync($"/api/workspaces/{Connections.NewId()}/validate", null)).StatusCode);
    }
}
