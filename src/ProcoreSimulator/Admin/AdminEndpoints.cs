using ProcoreSimulator.State;

namespace ProcoreSimulator.Admin;

/// <summary>The simulator's own controls, for tests and demos: clients, faults, revocation, counters.</summary>
public static class AdminEndpoints
{
    /// <summary>Maps <c>/_simulator/…</c>.</summary>
    public static RouteGroupBuilder MapSimulatorAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_simulator");
        group.MapPost("/clients", (SimulatedClient client, SimulatorState state) =>
        {
            state.Register(client);
            return Results.Created($"/_simulator/clients/{client.ClientId}", new { client.ClientId });
        });
        group.MapPost("/clients/{clientId}/revoke", (string clientId, SimulatorState state) =>
        {
            state.RevokeClient(clientId);
            return Results.NoContent();
        });
        group.MapPut("/faults", (SimulatorFaults faults, SimulatorState state) =>
        {
            state.SetFaults(faults);
            return Results.NoContent();
        });
        group.MapGet("/stats", (SimulatorState state) => state.Stats());
        group.MapPost("/webhooks/deliver", async (Webhooks.WebhookDeliveryRequest delivery, IHttpClientFactory http, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (Webhooks.WebhookPayloads.Build(delivery, time.GetUtcNow()) is not { } payload)
            {
                return Results.BadRequest(new { errors = "format must be v2, v3 or v4." });
            }

            // Like Procore: the same event, as many times as asked (receivers must deduplicate), 5 s timeout.
            var client = http.CreateClient("webhooks");
            var statuses = new List<int>();
            for (var i = 0; i < Math.Clamp(delivery.Times, 1, 10); i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = JsonContent.Create(payload) };
                if (delivery.Authorization is { } authorization)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                }

                using var response = await client.SendAsync(request, cancellationToken);
                statuses.Add((int)response.StatusCode);
            }

            return Results.Ok(new { statuses, payload });
        });
        group.MapPost("/reset", (SimulatorState state) =>
        {
            state.Reset();
            return Results.NoContent();
        });
        return group;
    }
}
