using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Audit;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Events;

/// <summary>The caller partner's event webhook: <c>/api/partner/webhook</c> and its delivery record.</summary>
public static class PartnerWebhookEndpoints
{
    /// <summary>Maps the caller's webhook and its events, for partners.</summary>
    public static IEndpointRouteBuilder MapPartnerWebhook(this IEndpointRouteBuilder api)
    {
        var partner = api.MapGroup("partner").RequireAuthorization(Roles.Partner).WithTags(ApiTags.PartnerEvents);
        partner.MapPut("webhook", Set)
            .WithName("SetPartnerWebhook")
            .WithSummary("Register the caller's event webhook")
            .WithDescription("Events (their payloads and headers are in this document's `webhooks`) are posted to the URL, signed with the secret "
                + "answered here once (`Cache-Control: no-store`). Calling again replaces URL and secret. Events recorded before (`not_sent`) are "
                + "sent when asked for: `POST /api/partner/events/redeliver?since=…`.")
            .WithMetadata(RateLimited.PerPartner)
            .WithRequestBody(static () => RequestDoc.Json(Examples.PartnerWebhook, "url"))
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status200OK, "Registered; the signing secret is shown this once.", Examples.PartnerWebhookRegistration),
                Invalid(Problems.Field("url", "Must be an absolute https URL (at most 2048 characters, no credentials, not a private or link-local address)."), "`url` is not acceptable."),
            ]);
        partner.MapGet("webhook", Get)
            .WithName("GetPartnerWebhook")
            .WithSummary("Read the caller's event webhook")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "The URL (never the secret).", Examples.PartnerWebhookView), When(StatusCodes.Status404NotFound, "None is registered.")]);
        partner.MapDelete("webhook", Delete)
            .WithName("DeletePartnerWebhook")
            .WithSummary("Stop sending events")
            .WithMetadata(RateLimited.PerPartner)
            .WithResponses(static () => [Ok(StatusCodes.Status204NoContent, "Removed."), When(StatusCodes.Status404NotFound, "None is registered.")]);
        return api;
    }

    /// <summary><c>PUT</c>: register the URL; the signing secret is in this response only.</summary>
    public static async Task<Results<Ok<PartnerWebhookRegistration>, ValidationProblem>> Set(
        HttpRequest request, ClaimsPrincipal user, PartnerWebhookStore webhooks, PublicAddressConnector connector, AuditLog audit, IOptions<EventOptions> options,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PartnerWebhookRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!PartnerUrl.TryParse(body!.Url, options.Value.AllowInsecureLoopback, out var url) || await connector.ResolvesToRefusedAddressAsync(url!, cancellationToken))
        {
            return Problems.Field("url", "Must be an absolute https URL (at most 2048 characters, no credentials, not a loopback, private, link-local or other non-public address).");
        }

        var partnerId = user.PartnerId()!;
        var registration = await webhooks.SetAsync(partnerId, url!, cancellationToken);
        await audit.RecordAsync("partner:" + partnerId, user.Actor(), "partner.webhook_set", url!.GetLeftPart(UriPartial.Authority), cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(registration);
    }

    /// <summary><c>GET</c>: the URL, without the secret.</summary>
    public static async Task<Results<Ok<PartnerWebhookView>, NotFound>> Get(ClaimsPrincipal user, PartnerWebhookStore webhooks, CancellationToken cancellationToken) =>
        await webhooks.FindAsync(user.PartnerId()!, cancellationToken) is { } webhook
            ? TypedResults.Ok(new PartnerWebhookView(webhook.Url, true, webhook.UpdatedAt))
            : TypedResults.NotFound();

    /// <summary><c>DELETE</c>: stop sending events.</summary>
    public static async Task<Results<NoContent, NotFound>> Delete(ClaimsPrincipal user, PartnerWebhookStore webhooks, AuditLog audit, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId()!;
        if (!await webhooks.DeleteAsync(partnerId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        await audit.RecordAsync("partner:" + partnerId, user.Actor(), "partner.webhook_removed", null, cancellationToken);
        return TypedResults.NoContent();
    }


    private static class Examples
    {
        public static readonly PartnerWebhookRequest PartnerWebhook = new("https://events.my-platform.example/procore-connect");

        public static readonly PartnerWebhookRegistration PartnerWebhookRegistration = new(
            new Uri("https://events.my-platform.example/procore-connect"), "(a random signing secret, shown once)", ApiExamples.Created);

        public static readonly PartnerWebhookView PartnerWebhookView = new(new Uri("https://events.my-platform.example/procore-connect"), true, ApiExamples.Created);
    }
}
