using ProcoreConnect.Common;

namespace ProcoreConnect.Workspaces;

/// <summary>Checks a connection request field by field; pure, so a rejected request touches nothing.</summary>
public static class ConnectionRequestValidator
{
    /// <summary>Longest accepted client id.</summary>
    public const int MaxClientIdLength = 256;

    /// <summary>Longest accepted client secret.</summary>
    public const int MaxClientSecretLength = 512;

    /// <summary>Every error by field (camelCase, as in the body), or the validated settings.</summary>
    public static (ConnectionSettings? Settings, Dictionary<string, List<string>> Errors) Validate(ConnectionRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message) =>
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (request.CompanyId is not { } companyId)
        {
            Fail("companyId", "Required: the Procore company id, a positive integer.");
        }
        else if (companyId <= 0)
        {
            Fail("companyId", "Must be a positive integer.");
        }

        if (!WireName.TryParse<ProcoreEnvironment>(request.Environment, out var environment))
        {
            Fail("environment", $"Must be one of: {string.Join(", ", WireName.AllOf<ProcoreEnvironment>())}.");
        }

        if (!WireName.TryParse<AuthFlow>(request.AuthFlow, out var authFlow))
        {
            Fail("authFlow", $"Must be one of: {string.Join(", ", WireName.AllOf<AuthFlow>())}.");
        }

        if (!IsToken(request.ClientId, MaxClientIdLength))
        {
            Fail("clientId", $"Required: 1 to {MaxClientIdLength} visible ASCII characters, no spaces.");
        }

        if (request.ClientSecret is not null && !IsToken(request.ClientSecret, MaxClientSecretLength))
        {
            Fail("clientSecret", $"Must be 1 to {MaxClientSecretLength} visible ASCII characters, no spaces.");
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

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new ConnectionSettings
        {
            CompanyId = request.CompanyId!.Value,
            Environment = environment,
            AuthFlow = authFlow,
            ClientId = request.ClientId!,
            ClientSecret = request.ClientSecret,
            ClientSecretExpiresAt = request.ClientSecretExpiresAt,
            RedirectUri = redirectUri,
        }, errors);
    }

    private static bool IsToken(string? value, int maxLength) =>
        value is { Length: > 0 } && value.Length <= maxLength && value.All(c => c is > ' ' and <= '~');

    private static bool TryRedirectUri(string text, out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri)
        && string.IsNullOrEmpty(uri.Fragment)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
