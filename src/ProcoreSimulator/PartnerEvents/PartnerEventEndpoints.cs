using System.Text.Json;

namespace ProcoreSimulator.PartnerEvents;

/// <summary>
/// A stand-in for a partner's event endpoint, so a local run can register a webhook that answers:
/// it takes Procore Connect's signed events and lists them. Not part of Procore.
/// </summary>
public static class PartnerEventEndpoints
{
    /// <summary>Maps <c>/_simulator/partner-events</c>.</summary>
    public static RouteGroupBuilder MapPartnerEvents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_simulator/partner-events");
        group.MapPost("", Receive);
        group.MapGet("", (PartnerEventInbox inbox) => inbox.All);
        return group;
    }

    private static async Task<IResult> Receive(HttpRequest request, PartnerEventInbox inbox, TimeProvider time, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "The body must be an event's JSON." });
        }

        var headers = request.Headers;
        inbox.Add(new ReceivedEvent(
            headers["ProcoreConnect-Event-Id"].FirstOrDefault(),
            headers["ProcoreConnect-Timestamp"].FirstOrDefault(),
            headers["ProcoreConnect-Signature"].FirstOrDefault(),
            time.GetUtcNow(),
            body));
        return Results.NoContent();
    }
}
