using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ProcoreConnect.Events;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// The document's <c>webhooks</c> (OpenAPI 3.1): each event the service posts to a partner's
/// webhook, its body and its signature headers, so that a generator or a reader sees the events
/// as it sees the operations.
/// </summary>
internal sealed class EventWebhooksTransformer : IOpenApiDocumentTransformer
{
    private const string Company = "companyId";

    private static readonly (string Type, string Summary, JsonObject Data)[] Events =
    [
        (EventTypes.Connected, "A workspace got its first tokens: a person connected it, a token was imported, or a client-credentials workspace got its first token.",
            new JsonObject { [Company] = 1001 }),
        (EventTypes.ConnectionBroken, "A connection stopped working; once per change. For a client's shared token `workspaceId` is null and `data` names `oauthClient` and `environment`.",
            new JsonObject { [Company] = 1001, ["reason"] = "refresh_failing" }),
        (EventTypes.ConnectionRecovered, "A broken connection works again; once per change.",
            new JsonObject { [Company] = 1001, ["reason"] = "refresh_failing" }),
        (EventTypes.SecretExpiring, "An OAuth client's secret expires within 30 days; `workspaceId` is null.",
            new JsonObject { ["oauthClient"] = "acme-app", ["expiresAt"] = "2027-01-01T00:00:00+00:00" }),
        (EventTypes.WorkspaceDisconnected, "A connected workspace was moved to another OAuth client, environment or (authorization code) company: its grant was revoked and it is `pending`.",
            new JsonObject { [Company] = 1001, ["reason"] = "environment_changed", ["previous"] = new JsonObject { ["environment"] = "sandbox", ["oauthClient"] = "acme-app", [Company] = 1001 } }),
        (EventTypes.WorkspaceDeleted, "A workspace was deleted. `data.history` is its audit trail, newest first (at most 50 entries; `historyTruncated` says when there were more).",
            new JsonObject
            {
                [Company] = 1001, ["environment"] = "production", ["oauthClient"] = "acme-app", ["tags"] = new JsonObject { ["crmAccount"] = "A-1042" },
                ["createdAt"] = "2026-11-20T09:00:00+00:00",
                ["history"] = new JsonArray(new JsonObject
                {
                    ["actor"] = "partner:my-platform", ["action"] = "workspace.created", ["fields"] = "companyId, environment, oauthClient", ["at"] = "2026-11-20T09:00:00+00:00",
                }),
                ["historyTruncated"] = false,
            }),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Webhooks = Events.ToDictionary(e => e.Type, e => (IOpenApiPathItem)new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = Operation(e.Type, e.Summary, e.Data) },
        });
        return Task.CompletedTask;
    }

    private static OpenApiOperation Operation(string type, string summary, JsonObject data) => new()
    {
        OperationId = "Event_" + type.Replace('.', '_'),
        Summary = summary,
        Description = "Posted to the partner's webhook (`PUT /api/partner/webhook`). Verify `" + EventSignature.Header + "`: `v1=` and the lower-case hex of "
            + "HMAC-SHA256(signing secret, `{" + EventSignature.TimestampHeader + "}.{raw body}`), compared in constant time; refuse a timestamp more than "
            + "5 minutes away and deduplicate on the event id. Answer 2xx within 10 s; anything else is retried (8 attempts). Events never carry a secret.",
        Tags = new HashSet<OpenApiTagReference> { new(ApiTags.PartnerEvents) },
        Parameters =
        [
            Header(EventSignature.EventIdHeader, "The event's id, as in the body: deduplicate on it (a retry or a redelivery sends the same id)."),
            Header(EventSignature.TimestampHeader, "Unix seconds when this attempt was signed."),
            Header(EventSignature.Header, "`v1=` + hex(HMAC-SHA256(secret, \"{timestamp}.{body}\"))."),
        ],
        RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType
                {
                    Schema = Body(type),
                    Example = new JsonObject
                    {
                        ["id"] = "evt_17954002351230000002a5e6f7a8b", ["type"] = type, ["occurredAt"] = "2026-11-23T16:57:15.123+00:00",
                        ["workspaceId"] = type == EventTypes.SecretExpiring ? null : ApiExamples.WorkspaceId, ["data"] = data.DeepClone(),
                    },
                },
            },
        },
        Responses = new OpenApiResponses
        {
            ["2XX"] = new OpenApiResponse { Description = "Delivered." },
            ["default"] = new OpenApiResponse { Description = "Not delivered: retried after 30 s, doubling, 8 attempts in all; then `failed`." },
        },
    };

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiSchema Body(string type) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "id", "type", "occurredAt", "workspaceId", "data" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "`evt_…`; ids sort in the order events happened." },
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = type },
            ["occurredAt"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            ["workspaceId"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["data"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "What the event is about (see the example); never a secret." },
        },
    };
}
