using ProcoreConnect.Common;
using ProcoreConnect.Http;

namespace ProcoreConnect.Clients;

/// <summary>Checks an OAuth client request field by field; pure, so a rejected request touches nothing.</summary>
public static class OAuthClientRequestValidator
{
    /// <summary>Longest accepted client id.</summary>
    public const int MaxClientIdLength = 256;

    /// <summary>Longest accepted client secret.</summary>
    public const int MaxClientSecretLength = 512;

    /// <summary>Longest accepted display name.</summary>
    public const int MaxDisplayNameLength = 100;

    /// <summary>The rule for client secrets, in words.</summary>
    public static readonly string SecretRule = $"1 to {MaxClientSecretLength} visible ASCII characters, no spaces.";

    /// <summary>Every error by field (camelCase, as in the body), or the validated settings.</summary>
    public static (OAuthClientSettings? Settings, Dictionary<string, List<string>> Errors) Validate(OAuthClientRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message) =>
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (!WireName.TryParse<AuthFlow>(request.AuthFlow, out var authFlow))
        {
            Fail("authFlow", $"Must be one of: {string.Join(", ", WireName.AllOf<AuthFlow>())}.");
        }

        if (!IsToken(request.ClientId, MaxClientIdLength))
        {
            Fail("clientId", $"Required: 1 to {MaxClientIdLength} visible ASCII characters, no spaces.");
        }

        if (request.ClientSecret is not null && !IsSecret(request.ClientSecret))
        {
            Fail("clientSecret", "Must be " + SecretRule);
        }

        Uri? redirectUri = null;
        if (request.RedirectUri is not null)
        {
            if (authFlow == AuthFlow.ClientCredentials)
            {
                Fail("redirectUri", "Applies only to the authorization_code flow.");
            }
            else if (!TryRedirectUri(request.RedirectUri, out redirectUri))
            {
                Fail("redirectUri", "Must be an absolute https URL (http only for localhost), without a fragment.");
            }
        }

        // The connect page shows it to a person as "the app", beside the partner's own name.
        var displayName = request.DisplayName is { } text ? DisplayText.Clean(text, MaxDisplayNameLength) : null;
        if (request.DisplayName is not null && displayName is null)
        {
            Fail("displayName", DisplayText.Rule(MaxDisplayNameLength));
        }

        return errors.Count > 0
            ? (null, errors)
            : (new OAuthClientSettings
            {
                AuthFlow = authFlow,
                ClientId = request.ClientId!,
                ClientSecret = request.ClientSecret,
                ClientSecretExpiresAt = request.ClientSecretExpiresAt,
                RedirectUri = redirectUri,
                DisplayName = displayName,
            }, errors);
    }

    /// <summary>True when <paramref name="secret"/> is an acceptable client secret.</summary>
    public static bool IsSecret(string? secret) => IsToken(secret, MaxClientSecretLength);

    private static bool IsToken(string? value, int maxLength) =>
        value is { Length: > 0 } && value.Length <= maxLength && value.All(c => c is > ' ' and <= '~');

    private static bool TryRedirectUri(string text, out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri)
        && string.IsNullOrEmpty(uri.Fragment)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
