using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Events;

/// <summary>The caller partner's events: <c>/api/partner/events</c>, listed, and sent again when asked.</summary>
public static class PartnerEventEndpoints
{
    /// <summary>Maps the list and the two redeliveries, for partners.</summary>
    public static IEndpointRouteBuilder MapPartnerEvents(this IEndpointRouteBuilder api)
    {
        var partner = api.MapGroup("partner").RequireAuthorization(Roles.Partner).WithTags(ApiTags.PartnerEvents);
        partner.MapGet("events", ListEvents)
            .WithName("ListPartnerEvents")
            .WithSummary("The caller's events and their delivery state")
            .WithDescription("Every event of the last `Events__Retention` (30 days), recorded whether or not a webhook was registered, newest first, "
                + "each with its `data` as delivered. `status`: `pending`, `delivered`, `failed` (given up), `not_sent` (no webhook then).")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "A page, newest first; pass `continuationToken` back for the next (null on the last page).", Examples.Events),
                ApiParameters.InvalidPaging]);
        partner.MapPost("events/{eventId}/redeliver", Redeliver)
            .WithName("RedeliverPartnerEvent")
            .WithMetadata(RateLimited.PerPartner) // queues posts that every partner's delivery passes share
            .WithSummary("Send one of the caller's events again")
            .WithDescription("Queues the event for delivery now, whatever became of it (delivered ones too): same id, same body, signed anew. "
                + "Another partner's event answers 404 like a missing one.")
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status202Accepted, "Queued; the record as it stands now.", Examples.Events.Items[0] with { Status = EventStatus.Pending, Attempts = 0, DeliveredAt = null }),
                Problem(NotFound(ExampleId), "No such event of the caller's (or it is past the retention period)."),
                Problem(Problems.Conflict(EventLog.NoWebhook), "No webhook is registered, or an instance is delivering the event this moment."),
            ]);
        partner.MapPost("events/redeliver", RedeliverMissed)
            .WithName("RedeliverMissedPartnerEvents")
            .WithMetadata(RateLimited.PerPartner) // queues posts that every partner's delivery passes share
            .WithSummary("Send the events the caller's webhook missed")
            .WithDescription("Queues every event at or after `since` (an ISO 8601 time) that never reached a webhook (`not_sent`: recorded before one was "
                + "registered; `failed`: given up), for the webhook registered now. Delivered ones are left alone; send one again by its id.")
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status202Accepted, "Queued.", new RedeliveryResponse(3, ApiExamples.Created)),
                Invalid(Problems.Field("since", SinceRule), "`since` is missing or not a time."),
                Problem(Problems.Conflict(EventLog.NoWebhook), "No webhook is registered."),
            ]);
        return api;
    }

    private const string ExampleId = "evt_17954002351230000002a5e6f7a8b";

    private const string SinceRule = "Required: an ISO 8601 time, e.g. 2026-12-01T00:00:00Z (UTC when no offset is given).";

    /// <summary><c>GET /api/partner/events?pageSize=&amp;continuationToken=</c>: the caller's events, newest first.</summary>
    public static async Task<Results<Ok<EventListResponse>, ValidationProblem>> ListEvents(
        string? pageSize, string? continuationToken, ClaimsPrincipal user, EventLog log, CancellationToken cancellationToken)
    {
        var (size, storageToken, problem) = Paging.Read(pageSize, continuationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (items, next) = await log.ListAsync(user.PartnerId()!, size, storageToken, cancellationToken);
        return TypedResults.Ok(new EventListResponse(items, Paging.Encode(next)));
    }

    /// <summary><c>POST /api/partner/events/{eventId}/redeliver</c>: one of the caller's events, again.</summary>
    public static async Task<Results<Accepted<EventRecord>, ProblemHttpResult>> Redeliver(
        string eventId, ClaimsPrincipal user, EventLog log, CancellationToken cancellationToken)
    {
        var outcome = await log.RedeliverAsync(user.PartnerId()!, eventId, cancellationToken);
        return outcome.Status switch
        {
            WriteStatus.Updated => TypedResults.Accepted((string?)null, outcome.Value!),
            WriteStatus.NotFound => NotFound(eventId),
            _ => Problems.Conflict(outcome.Detail!),
        };
    }

    /// <summary><c>POST /api/partner/events/redeliver?since=</c>: what the caller's webhook missed.</summary>
    public static async Task<Results<Accepted<RedeliveryResponse>, ValidationProblem, ProblemHttpResult>> RedeliverMissed(
        string? since, ClaimsPrincipal user, EventLog log, IOptions<EventOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
        {
            return Problems.Field("since", SinceRule);
        }

        // Nothing older is kept.
        var oldest = time.GetUtcNow() - options.Value.Retention;
        var queued = await log.RedeliverMissedAsync(user.PartnerId()!, from < oldest ? oldest : from, cancellationToken);
        return queued is { } count
            ? TypedResults.Accepted((string?)null, new RedeliveryResponse(count, from))
            : Problems.Conflict(EventLog.NoWebhook);
    }

    private static ProblemHttpResult NotFound(string eventId) => TypedResults.Problem(
        $"Event '{eventId}' was not found: events are kept for the retention period, and only your own are seen.",
        statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static class Examples
    {
        public static readonly EventListResponse Events = new(
        [
            new EventRecord
            {
                EventId = ExampleId, Type = EventTypes.Connected, WorkspaceId = ApiExamples.WorkspaceId, Status = EventStatus.Delivered, Attempts = 1,
                LastStatusCode = 200, LastError = null, CreatedAt = ApiExamples.Created, DeliveredAt = ApiExamples.Created.AddSeconds(1),
                Data = System.Text.Json.JsonSerializer.SerializeToElement(new { companyId = 1001 }),
            },
        ], null);
    }
}
