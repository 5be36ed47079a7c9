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
        group.MapPost("/reset", (SimulatorState state) =>
        {
            state.Reset();
            return Results.NoContent();
        });
        return group;
    }
}
