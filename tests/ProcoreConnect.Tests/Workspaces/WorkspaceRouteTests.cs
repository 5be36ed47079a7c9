using System.Net;
using System.Text.Json.Nodes;
using ProcoreConnect.Hosting;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Workspaces;

/// <summary>
/// Every <c>workspaces/{id}</c> endpoint answers a malformed id and a workspace the caller does not
/// have with the same problem, word for word, whichever feature serves it.
/// </summary>
public sealed class WorkspaceRouteTests(AppFactory app) : IClassFixture<AppFactory>
{
    public static TheoryData<string, string> Routes()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in AppEndpoints.Functions.Where(f => f.Trigger == FunctionTrigger.Http && f.Route!.StartsWith("workspaces/{id}", StringComparison.Ordinal)))
        {
            data.Add(f.Methods.Single(), f.Route!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_malformed_id_is_refused_with_the_problem_that_names_the_id(string method, string route)
    {
        var response = await SendAsync(method, route, "Not_An_Id");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertProblem(
            """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
             "errors":{"id":["Workspace ids are 1 to 64 characters: lower-case letters a-z, digits and '-', starting with a letter or digit."]}}
            """,
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_workspace_the_caller_does_not_have_is_not_found_in_the_same_words(string method, string route)
    {
        // Another partner's, or none: the same answer. A PUT of a connection creates it instead.
        var id = Connections.NewId();
        (await app.ClientFor("partner-other").PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).EnsureSuccessStatusCode();
        if (method == "PUT" && route == "workspaces/{id}/connection")
        {
            return;
        }

        var response = await SendAsync(method, route, id);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertProblem(
            $$"""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not found","status":404,"detail":"Workspace '{{id}}' was not found."}""",
            await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> SendAsync(string method, string route, string id) =>
        app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/" + route.Replace("{id}", id, StringComparison.Ordinal).Replace("{**path}", "rest/v1.0/me", StringComparison.Ordinal))
        {
            Content = method == "PUT" ? Json.Body(Connections.Valid()) : null,
        });

    // The body as written, but for the request's own trace id.
    private static void AssertProblem(string expected, string actual)
    {
        var body = JsonNode.Parse(actual)!.AsObject();
        Assert.True(body.Remove("traceId"), actual);
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), body.ToJsonString());
    }
}
