using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ProcoreConnect.Http;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Http;

/// <summary>
/// An unknown query parameter answers 400 naming it, before anything is done, as an unknown body
/// field does; the parameters an endpoint takes are read from its handler, and the routes a browser
/// or Procore calls take any.
/// </summary>
public sealed class StrictQueryTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private static async Task<string[]> UnknownParametersAsync(HttpResponseMessage response) =>
        [.. (await ErrorsAsync(response)).EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)];

    private static async Task<System.Text.Json.JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("errors").Clone();
    }

    private static async Task AssertOkAsync(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    [Fact]
    public async Task A_misspelt_tag_filter_is_refused_not_ignored()
    {
        var errors = await ErrorsAsync(await fixture.Client.GetAsync("/api/workspaces?tags.region=west"));

        Assert.Equal(["tags.region"], errors.EnumerateObject().Select(e => e.Name));
        var message = errors.GetProperty("tags.region")[0].GetString();
        Assert.Contains("'tag.{key}'", message, StringComparison.Ordinal);
        Assert.Contains("'pageSize'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_unknown_parameter_is_named_and_the_known_ones_still_work()
    {
        Assert.Equal(["pagesize2", "sort"], await UnknownParametersAsync(await fixture.Client.GetAsync("/api/workspaces?pageSize=5&sort=id&pagesize2=1&tag.region=west")));
        // Query names bind case-insensitively, and so are they checked; the host's function key passes.
        await AssertOkAsync(await fixture.Client.GetAsync("/api/workspaces?PageSize=5&tag.region=west&code=host-key"));
    }

    [Fact]
    public async Task A_refused_write_changes_nothing()
    {
        var id = Connections.NewId();
        var response = await fixture.Client.PutAsync($"/api/workspaces/{id}/connection?dryRun=true", Json.Body(Connections.Valid()));

        Assert.Equal(["dryRun"], await UnknownParametersAsync(response));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
    }

    [Fact]
    public async Task A_hot_token_call_with_an_unknown_parameter_is_refused_too()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        await AssertOkAsync(await fixture.Client.GetAsync($"/api/workspaces/{id}/token"));

        Assert.Equal(["fresh"], await UnknownParametersAsync(await fixture.Client.GetAsync($"/api/workspaces/{id}/token?fresh=1")));
        await AssertOkAsync(await fixture.Client.GetAsync($"/api/workspaces/{id}/token?code=host-key"));
    }

    [Fact]
    public async Task Procores_redirect_and_a_persons_link_take_whatever_query_they_carry()
    {
        var person = fixture.App.AnonymousClient(ProcoreFixture.NoRedirectsNoCookies);
        var callback = await person.GetAsync("/api/oauth/callback?state=unknown&code=x&scope=&utm_source=mail");
        Assert.Equal("text/html", callback.Content.Headers.ContentType?.MediaType);
        var link = await person.GetAsync("/api/connect/nothing-here?utm_source=mail");
        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
        Assert.Equal("text/html", link.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void The_accepted_names_are_the_handlers_own_query_parameters()
    {
        var accepted = fixture.App.Service<AcceptedQuery>();
        var endpoints = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        Endpoint Named(string name) => endpoints.Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == name);

        // Read from the handlers' signatures (string? pageSize, string? continuationToken, string? companyId; string? environment):
        // nothing in the app lists them by name. "code" is the Functions host's key, on routes it guards.
        var list = accepted.For(Named("ListWorkspaces"))!;
        Assert.Equal(["code", "companyId", "continuationToken", "pageSize"], list.Names.Order(StringComparer.Ordinal));
        Assert.Equal("tag.", Assert.Single(list.Families).Prefix);
        Assert.Contains("environment", accepted.For(Named("ListInstalledCompanies"))!.Names);
        // Declared to take any: Procore's redirect, and the calls forwarded to Procore with their query.
        Assert.Null(accepted.For(Named("OAuthCallback")));
        Assert.Null(accepted.For(Named("CallProcoreGet")));
    }
}
