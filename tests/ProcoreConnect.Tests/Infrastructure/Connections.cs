namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>Builds connection requests; tests change only what they are about.</summary>
public static class Connections
{
    public static Dictionary<string, object?> Valid(string? clientSecret = null) => new()
    {
        ["companyId"] = 1001,
        ["environment"] = "sandbox",
        ["authFlow"] = "authorization_code",
        ["clientId"] = "client-" + Guid.NewGuid().ToString("N")[..8],
        ["clientSecret"] = clientSecret ?? NewSecret(),
        ["redirectUri"] = "https://connect.example.com/api/oauth/callback",
    };

    /// <summary>A recognisable secret value, easy to scan for.</summary>
    public static string NewSecret() => "sekret-" + Guid.NewGuid().ToString("N");

    public static string NewId() => "ws-" + Guid.NewGuid().ToString("N")[..12];

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string field, object? value)
    {
        var copy = new Dictionary<string, object?>(body) { [field] = value };
        return copy;
    }

    public static Dictionary<string, object?> Without(this Dictionary<string, object?> body, string field)
    {
        var copy = new Dictionary<string, object?>(body);
        copy.Remove(field);
        return copy;
    }
}
