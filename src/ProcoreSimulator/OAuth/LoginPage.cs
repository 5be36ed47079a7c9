using System.Net;

namespace ProcoreSimulator.OAuth;

/// <summary>The simulated Procore sign-in and consent page.</summary>
public static class LoginPage
{
    /// <summary>The page for one authorize request; its form posts back every parameter.</summary>
    public static string Render(string clientId, IReadOnlyDictionary<string, string?> parameters)
    {
        var hidden = string.Concat(parameters
            .Where(p => p.Value is not null)
            .Select(p => $"<input type=\"hidden\" name=\"{Encode(p.Key)}\" value=\"{Encode(p.Value)}\">"));
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Procore (simulator) - Sign in</title></head>
            <body>
              <h1>Procore simulator</h1>
              <p>The app <strong>{Encode(clientId)}</strong> asks to access your Procore account.</p>
              <form method="post" action="/oauth/authorize">
                {hidden}
                <label>Email <input name="login" type="email" value="admin@example.com"></label>
                <label>Password <input name="password" type="password" value="simulator"></label>
                <button type="submit" name="decision" value="allow">Allow</button>
                <button type="submit" name="decision" value="deny">Deny</button>
              </form>
            </body></html>
            """;
    }

    /// <summary>An error page for an authorize request that cannot be redirected back.</summary>
    public static string Error(string message) =>
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Procore (simulator) - Error</title></head><body><h1>Authorization error</h1><p>{Encode(message)}</p></body></html>";

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
