using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Audit;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Partners;

/// <summary><c>/api/partner/settings</c>: the caller partner's own settings (its allowed return origins).</summary>
public static class PartnerSettingsEndpoints
{
    /// <summary>Maps the caller's settings, for partners.</summary>
    public static IEndpointRouteBuilder MapPartnerSettings(this IEndpointRouteBuilder api)
    {
        var settings = api.MapGroup("partner").RequireAuthorization(Roles.Partner).WithTags(ApiTags.PartnerEvents);
        settings.MapGet("settings", Get)
            .WithName("GetPartnerSettings")
            .WithSummary("Read the caller's settings")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "The settings (empty until set).", Examples.PartnerSettings)]);
        settings.MapPut("settings", Put)
            .WithName("PutPartnerSettings")
            .WithSummary("Set the caller's settings")
            .WithDescription("`allowedReturnOrigins`: the origins the caller's `returnUrl`s may point at (replaces the list). Each partner's own: "
                + "no other partner's links can send a browser there.")
            .WithRequestBody(static () => RequestDoc.Json(Examples.PartnerSettingsRequest, "allowedReturnOrigins"))
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status200OK, "The settings as stored (origins in canonical form).", Examples.PartnerSettings),
                Invalid(Problems.Field("allowedReturnOrigins[0]", ReturnOrigins.Rule), "An origin is not acceptable; `errors` names each."),
            ]);
        return api;
    }

    /// <summary><c>GET</c>: the settings (empty lists until set).</summary>
    public static async Task<Ok<PartnerSettings>> Get(ClaimsPrincipal user, PartnerSettingsStore settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.FindAsync(user.PartnerId()!, cancellationToken));

    /// <summary><c>PUT</c>: replaces the settings.</summary>
    public static async Task<Results<Ok<PartnerSettings>, ValidationProblem>> Put(
        HttpRequest request, ClaimsPrincipal user, PartnerSettingsStore settings, AuditLog audit, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PartnerSettingsRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var origins = body!.AllowedReturnOrigins;
        if (origins is null || origins.Count > ReturnOrigins.MaxCount)
        {
            return Problems.Field("allowedReturnOrigins", $"Required: a list of at most {ReturnOrigins.MaxCount} origins ([] allows none). " + ReturnOrigins.Rule);
        }

        var normalized = origins.Select(ReturnOrigins.Normalize).ToList();
        var bad = normalized.Select((o, i) => (o, i)).Where(x => x.o is null).Select(x => $"allowedReturnOrigins[{x.i}]").ToList();
        if (bad.Count > 0)
        {
            return Problems.Fields(bad.ToDictionary(b => b, _ => new List<string> { ReturnOrigins.Rule }));
        }

        var partnerId = user.PartnerId()!;
        var saved = await settings.SaveAsync(partnerId, [.. normalized.OfType<string>().Distinct(StringComparer.Ordinal)], cancellationToken);
        await audit.RecordAsync("partner:" + partnerId, user.Actor(), "partner.settings_set", "allowedReturnOrigins", cancellationToken);
        return TypedResults.Ok(saved);
    }

    private static class Examples
    {
        public static readonly PartnerSettingsRequest PartnerSettingsRequest = new() { AllowedReturnOrigins = ["https://app.my-platform.example"] };

        public static readonly PartnerSettings PartnerSettings = new(["https://app.my-platform.example"], ApiExamples.Created);
    }
}
