using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using ProcoreSimulator.State;

namespace ProcoreSimulator.OAuth;

/// <summary>Procore's OAuth server: authorize (with a sign-in page), token and revoke.</summary>
public static class OAuthEndpoints
{
    /// <summary>Maps <c>/oauth/…</c>.</summary>
    public static RouteGroupBuilder MapOAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/oauth");
        group.MapGet("/authorize", Authorize);
        group.MapPost("/authorize", Decide).DisableAntiforgery();
        group.MapPost("/token", Token).DisableAntiforgery();
        group.MapPost("/revoke", Revoke).DisableAntiforgery();
        return group;
    }

    private static IResult Authorize(HttpRequest request, SimulatorState state)
    {
        var q = request.Query;
        var client = state.Client(q["client_id"]);
        if (client is null)
        {
            return Results.Content(LoginPage.Error("Unknown client_id."), "text/html", statusCode: 400);
        }

        if (q["response_type"] != "code" || string.IsNullOrEmpty(q["redirect_uri"]))
        {
            return Results.Content(LoginPage.Error("response_type=code and redirect_uri are required."), "text/html", statusCode: 400);
        }

        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = q["client_id"],
            ["redirect_uri"] = q["redirect_uri"],
            ["state"] = q["state"],
            ["code_challenge"] = q["code_challenge"],
            ["code_challenge_method"] = q["code_challenge_method"],
        };
        return Results.Content(LoginPage.Render(client.ClientId, parameters), "text/html");
    }

    private static async Task<IResult> Decide(HttpRequest request, SimulatorState state)
    {
        var form = await request.ReadFormAsync();
        var client = state.Client(form["client_id"]);
        string redirectUri = form["redirect_uri"].ToString();
        if (client is null || string.IsNullOrEmpty(redirectUri))
        {
            return Results.Content(LoginPage.Error("Unknown client_id or missing redirect_uri."), "text/html", statusCode: 400);
        }

        var parameters = new Dictionary<string, string?> { ["state"] = form["state"] };
        if (form["decision"] == "allow")
        {
            var challenge = string.IsNullOrEmpty(form["code_challenge"]) ? null : form["code_challenge"].ToString();
            parameters["code"] = state.IssueCode(client.ClientId, redirectUri, challenge);
        }
        else
        {
            parameters["error"] = "access_denied";
            parameters["error_description"] = "The resource owner denied the request.";
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, parameters));
    }

    private static async Task<IResult> Token(HttpRequest request, SimulatorState state, TimeProvider time)
    {
        var faults = state.Faults;
        if (faults.TokenLatencyMs > 0)
        {
            await Task.Delay(faults.TokenLatencyMs, request.HttpContext.RequestAborted);
        }

        var p = await ReadParametersAsync(request);
        var presented = p.GetValueOrDefault("grant_type") == "refresh_token" ? p.GetValueOrDefault("refresh_token") : null;
        if (state.NextTokenFailure() is { } failure)
        {
            // A throttled call is turned away before it is read; any other failed refresh call spends its token.
            if (failure is not (429 or 503))
            {
                state.Spend(presented);
            }

            return Results.Json(new { error = "server_error", error_description = "Injected failure." }, statusCode: failure);
        }

        if (state.NextTokenRefusal() is { } refusal)
        {
            state.Spend(presented);
            return Results.Json(new { error = refusal, error_description = "Injected refusal." }, statusCode: 401);
        }

        var (clientId, clientSecret) = ClientCredentialsOf(request, p);
        var client = state.Client(clientId);
        if (client is null || client.ClientSecret != clientSecret)
        {
            state.Spend(presented);
            return Results.Json(new { error = "invalid_client", error_description = "Client authentication failed." }, statusCode: 401);
        }

        var outcome = p.GetValueOrDefault("grant_type") switch
        {
            "authorization_code" => state.ExchangeCode(client, p.GetValueOrDefault("code"), p.GetValueOrDefault("redirect_uri"), p.GetValueOrDefault("code_verifier")),
            "refresh_token" => state.Refresh(client, p.GetValueOrDefault("refresh_token")),
            "client_credentials" => state.ClientCredentials(client),
            _ => new TokenOutcome(400, new { error = "unsupported_grant_type", error_description = "Unsupported grant_type." }),
        };
        if (faults.TokenAnswerLatencyMs > 0)
        {
            // Processed already: the caller going away now changes nothing here.
            await Task.Delay(faults.TokenAnswerLatencyMs, CancellationToken.None);
        }

        if (faults.TokenAnswersHeldUntil is { } held)
        {
            await held;
        }

        return Results.Json(outcome.Body, statusCode: outcome.Status);
    }

    // Procore revokes the access token and its refresh token, and answers 200 even for a token it does not know.
    private static async Task<IResult> Revoke(HttpRequest request, SimulatorState state)
    {
        var p = await ReadParametersAsync(request);
        var (clientId, clientSecret) = ClientCredentialsOf(request, p);
        if (state.Client(clientId) is not { } client || client.ClientSecret != clientSecret)
        {
            return Results.Json(new { error = "invalid_client", error_description = "Client authentication failed." }, statusCode: 401);
        }

        if (p.GetValueOrDefault("token") is { } token)
        {
            state.Revoke(token);
        }

        return Results.Ok();
    }

    // Procore accepts the token request as a form or as JSON.
    private static async Task<Dictionary<string, string?>> ReadParametersAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return form.ToDictionary(f => f.Key, f => (string?)f.Value.ToString());
        }

        if (request.HasJsonContentType())
        {
            var json = await request.ReadFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>();
            return json?.ToDictionary(j => j.Key, j => (string?)j.Value.ToString()) ?? [];
        }

        return [];
    }

    private static (string? Id, string? Secret) ClientCredentialsOf(HttpRequest request, Dictionary<string, string?> p)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
            }
        }

        return (p.GetValueOrDefault("client_id"), p.GetValueOrDefault("client_secret"));
    }
}
