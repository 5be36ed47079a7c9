using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ProcoreConnect.Security;

namespace ProcoreConnect.Extensions;

/// <summary>Caller authentication (API keys, Entra ID bearer tokens), the partner and admin policies and per-partner rate limits.</summary>
public static class SecurityExtensions
{
    /// <summary>Registers the schemes and policies.</summary>
    public static IServiceCollection AddConnectSecurity(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        services.AddSingleton<PartnerKeyStore>();
        services.AddSingleton<ApiKeyVerifier>();

        // Not AddAuthentication(): it also adds Data Protection, whose hosted service loads (or
        // creates and writes) an XML key ring before the server starts, about 50 ms of every cold
        // start. Nothing here protects data (no cookies, no remote sign-in), so the core suffices.
        services.AddAuthenticationCore(o => o.DefaultScheme = Roles.Scheme);
        services.AddWebEncoders();
        services.TryAddSingleton<IAuthenticationConfigurationProvider, AuthenticationSection>();
        new AuthenticationBuilder(services)
            .AddPolicyScheme(Roles.Scheme, "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.KeyOf(context.Request) is null
                && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && BearerConfigured(context)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();

        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                var entra = auth.Value.Entra;
                jwt.Authority = entra.Authority;
                jwt.Audience = entra.Audience;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters.ValidateIssuer = true;
                jwt.TokenValidationParameters.ValidateAudience = true;
                jwt.TokenValidationParameters.ValidateLifetime = true;
                // The app's roles are its own claims, added by EntraClaims from the token's "roles":
                // a token's role values never count as the app's role names directly.
                jwt.TokenValidationParameters.RoleClaimType = System.Security.Claims.ClaimTypes.Role;
                jwt.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        EntraClaims.Apply(context.Principal!, EntraClaims.Of(context.HttpContext.RequestServices));
                        return Task.CompletedTask;
                    },
                    OnAuthenticationFailed = context =>
                    {
                        Logger(context.HttpContext).LogWarning(
                            "Refused bearer token for {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, context.Exception.GetType().Name);
                        return Task.CompletedTask;
                    },
                };
            });

        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStartWith(new RateLimitOptionsValidator());
        services.AddSingleton<PermitWindows>();

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Partner, p => p.RequireAuthenticatedUser().RequireRole(Roles.Partner).RequireClaim(Roles.PartnerClaim))
            .AddPolicy(Roles.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Roles.PartnerOrAdmin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Partner, Roles.Admin));
        return services;
    }

    // Without an authority (or a configuration given in code) there is nothing to validate a bearer token against.
    private static bool BearerConfigured(HttpContext context)
    {
        var jwt = context.RequestServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        return !string.IsNullOrEmpty(jwt.Authority) || jwt.Configuration is not null;
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ProcoreConnect.Security");

    // What AddAuthentication() registers in its place: the "Authentication" section, where the
    // JWT bearer handler looks for defaults.
    private sealed class AuthenticationSection(IConfiguration configuration) : IAuthenticationConfigurationProvider
    {
        public IConfiguration AuthenticationConfiguration { get; } = configuration.GetSection("Authentication");
    }
}
