using System.Net;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Hosting;

public sealed class TimerInvocationTests : IClassFixture<AppFactory>
{
    // What the Functions host POSTs to a custom handler for a timer trigger.
    private const string HostPayload = """
        {
          "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": null, "IsPastDue": false } },
          "Metadata": { "sys": { "MethodName": "PurgeDeletedWorkspaces", "UtcNow": "2026-11-22T10:00:00.0000000Z", "RandGuid": "5b3b7d1e-1f5a-4c55-9c52-0f1a2b3c4d5e" } }
        }
        """;

    private readonly AppFactory _app;
    private readonly HttpClient _client;

    public TimerInvocationTests(AppFactory app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    [Fact]
    public async Task The_hosts_timer_payload_is_accepted_and_answered_in_the_custom_handler_shape()
    {
        var response = await _client.InvokeAsAdminAsync("PurgeDeletedWorkspaces", HostPayload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Contains("PurgeDeletedWorkspaces completed", body.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
    }

    public static TheoryData<string> HostOnlyFunctions() =>
        [.. ProcoreConnect.Tests.Infrastructure.AppEndpoints.Functions.Where(f => f.Trigger != ProcoreConnect.Hosting.FunctionTrigger.Http).Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(HostOnlyFunctions))]
    public async Task Without_the_host_a_timer_or_queue_function_refuses_anyone_but_an_admin_and_does_nothing(string function)
    {
        var id = Connections.NewId();
        (await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).EnsureSuccessStatusCode();
        var repository = _app.Service<WorkspaceRepository>();
        var workspace = (await repository.FindAsync(id, default))!;
        // An abandoned delete: the purge would finish it.
        await repository.UpdateAsync(workspace with { Status = WorkspaceStatus.Deleting, UpdatedAt = DateTimeOffset.UtcNow.AddHours(-1) }, default);
        var isQueue = ProcoreConnect.Tests.Infrastructure.AppEndpoints.Functions.Single(f => f.Name == function).Trigger == ProcoreConnect.Hosting.FunctionTrigger.Queue;
        var payload = isQueue ? """{"Data":{"msg":"{}"},"Metadata":{}}""" : HostPayload;

        var anonymous = await _app.AnonymousClient().PostAsync("/" + function, Json.Raw(payload));
        var partner = await _client.PostAsync("/" + function, Json.Raw(payload));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, partner.StatusCode);
        Assert.NotNull(await repository.FindAsync(id, default));
        Assert.Equal(HttpStatusCode.OK, (await _client.InvokeAsAdminAsync(function, payload)).StatusCode);
    }

    [Fact]
    public async Task Under_the_host_the_timer_routes_take_the_hosts_calls_without_a_key()
    {
        // The host sends no key; it alone reaches the handler's loopback port.
        using var hosted = AppFactory.With(new Dictionary<string, string?> { [ProcoreConnect.Hosting.CustomHandlerPort.PortVariable] = "45681" });

        var response = await hosted.AnonymousClient().PostAsync("/PurgeDeletedWorkspaces", Json.Raw(HostPayload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_payload_that_is_not_json_is_refused()
    {
        var response = await _client.InvokeAsAdminAsync("PurgeDeletedWorkspaces", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_purge_timer_finishes_a_delete_that_was_cut_short()
    {
        var id = Connections.NewId();
        (await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).EnsureSuccessStatusCode();
        var repository = _app.Service<WorkspaceRepository>();
        var workspace = (await repository.FindAsync(id, default))!;
        var tokens = await _app.Service<ISecretStore>().SetAsync(
            SecretNames.Tokens(workspace.SecretPrefix), new ProcoreConnect.Tokens.TokenSecret("access", "refresh").Serialize(), default);
        // A delete that crashed right after marking the row, long enough ago to be abandoned. Its
        // revocation at Procore fails here (nothing listens): that must not stop the purge.
        await repository.UpdateAsync(workspace with { Status = WorkspaceStatus.Deleting, Tokens = tokens, UpdatedAt = DateTimeOffset.UtcNow.AddHours(-1) }, default);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);

        var fresh = Connections.NewId();
        (await _client.PutAsync($"/api/workspaces/{fresh}/connection", Json.Body(Connections.Valid()))).EnsureSuccessStatusCode();
        var inFlight = (await repository.FindAsync(fresh, default))!;
        await repository.UpdateAsync(inFlight with { Status = WorkspaceStatus.Deleting, UpdatedAt = DateTimeOffset.UtcNow }, default);

        (await _client.InvokeAsAdminAsync("PurgeDeletedWorkspaces", HostPayload)).EnsureSuccessStatusCode();

        Assert.Null(await repository.FindAsync(id, default));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => _app.Service<ISecretStore>().GetAsync(tokens, default));
        Assert.NotNull(await repository.FindAsync(fresh, default));
    }
}
