using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Audit;
using ProcoreConnect.Events;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Partners;

/// <summary><c>/api/partner/settings</c>: the caller partner's own settings (its allowed return origins, and how pages show it).</summary>
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
            .WithDescription("Replaces every setting; an optional one left out is cleared. `allowedReturnOrigins`: the origins the caller's `returnUrl`s "
                + "may point at. Each partner's own: no other partner's links can send a browser there. `displayName`, `logoUrl`, `brandColor`: how the "
                + "connect-link and callback pages show the caller to the person who signs in (beside its partner id, which it cannot choose).")
            .WithRequestBody(static () => RequestDoc.Json(Examples.PartnerSettingsRequest, "allowedReturnOrigins"))
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status200OK, "The settings as stored (origins in canonical form).", Examples.PartnerSettings),
                Invalid(Problems.Fields(new Dictionary<string, List<string>> { ["allowedReturnOrigins[0]"] = [ReturnOrigins.Rule], ["logoUrl"] = [PartnerBranding.LogoRule] }),
                    "An origin, the name, the logo URL or the colour is not acceptable; `errors` names each."),
            ]);
        return api;
    }

    /// <summary><c>GET</c>: the settings (empty lists until set).</summary>
    public static async Task<Ok<PartnerSettings>> Get(ClaimsPrincipal user, PartnerSettingsStore settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.FindAsync(user.PartnerId()!, cancellationToken));

    /// <summary><c>PUT</c>: replaces the settings; every field at fault is named, and nothing changes.</summary>
    public static async Task<Results<Ok<PartnerSettings>, ValidationProblem>> Put(
        HttpRequest request, ClaimsPrincipal user, PartnerSettingsStore settings, AuditLog audit, IOptions<EventOptions> events, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PartnerSettingsRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, List<string>>();
        var origins = Origins(body!.AllowedReturnOrigins, errors);
        var name = body.DisplayName is { } text ? PartnerBranding.Name(text) ?? Refuse(errors, "displayName", PartnerBranding.NameRule) : null;
        var logo = body.LogoUrl is { } url ? PartnerBranding.Logo(url, events.Value.AllowInsecureLoopback) ?? Refuse<Uri>(errors, "logoUrl", PartnerBranding.LogoRule) : null;
        var color = body.BrandColor is { } hex ? PartnerBranding.Color(hex) ?? Refuse(errors, "brandColor", PartnerBranding.ColorRule) : null;
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var partnerId = user.PartnerId()!;
        var saved = await settings.SaveAsync(partnerId, new PartnerSettings(origins!, null) { DisplayName = name, LogoUrl = logo, BrandColor = color }, cancellationToken);
        var fields = new[] { ("allowedReturnOrigins", true), ("displayName", name is not null), ("logoUrl", logo is not null), ("brandColor", color is not null) };
        await audit.RecordAsync("partner:" + partnerId, user.Actor(), "partner.settings_set", string.Join(", ", fields.Where(f => f.Item2).Select(f => f.Item1)), cancellationToken);
        return TypedResults.Ok(saved);
    }

    // The origins in canonical form, or null with each fault added to errors.
    private static List<string>? Origins(IReadOnlyList<string>? origins, Dictionary<string, List<string>> errors)
    {
        if (origins is null || origins.Count > ReturnOrigins.MaxCount)
        {
            errors["allowedReturnOrigins"] = [$"Required: a list of at most {ReturnOrigins.MaxCount} origins ([] allows none). " + ReturnOrigins.Rule];
            return null;
        }

        var normalized = origins.Select(ReturnOrigins.Normalize).ToList();
        foreach (var bad in normalized.Select((o, i) => (o, i)).Where(x => x.o is null))
        {
            errors[$"allowedReturnOrigins[{bad.i}]"] = [ReturnOrigins.Rule];
        }

        return [.. normalized.OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    private static string? Refuse(Dictionary<string, List<string>> errors, string field, string rule) => Refuse<string>(errors, field, rule);

    private static T? Refuse<T>(Dictionary<string, List<string>> errors, string field, string rule)
        where T : class
    {
        errors[field] = [rule];
        return null;
    }

    private static class Examples
    {
        public static readonly PartnerSettingsRequest PartnerSettingsRequest = new()
        {
            AllowedReturnOrigins = ["https://app.my-platform.example"],
            DisplayName = "My Platform",
            LogoUrl = "https://cdn.my-platform.example/logo.png",
            BrandColor = "#0a5cc2",
        };

        public static readonly PartnerSettings PartnerSettings = new(["https://app.my-platform.example"], ApiExamples.Created)
        {
            DisplayName = "My Platform",
            LogoUrl = new Uri("https://cdn.my-platform.example/logo.png"),
            BrandColor = "#0a5cc2",
        };
    }
}
