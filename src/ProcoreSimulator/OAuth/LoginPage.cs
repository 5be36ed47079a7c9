using System.Net;

namespace ProcoreSimulator.OAuth;

/// <summary>
/// The simulated Procore sign-in and consent page. It is laid out like the service's own pages, so
/// a walk through a connect link reads as one, and says on its face that it is a simulator: no real
/// account is asked for or reached.
/// </summary>
public static class LoginPage
{
    // The service's page layout, with a striped banner that no real sign-in page would carry.
    private const string Style =
        "body{margin:0;background:#f3f4f6;color:#1f2328;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
        + "main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}"
        + ".simulator{margin:-2rem -2rem 1.5rem;padding:.75rem 2rem;border-radius:8px 8px 0 0;color:#1f2328;font-weight:600;"
        + "background:repeating-linear-gradient(135deg,#ffe08a 0 14px,#ffd35c 14px 28px)}"
        + "h1{margin:0 0 1rem;font-size:1.5rem;line-height:1.25}"
        + "label{display:block;margin:.75rem 0;color:#57606a}"
        + "input{display:block;width:100%;box-sizing:border-box;margin-top:.25rem;padding:.5rem;font:inherit;border:1px solid #d0d7de;border-radius:6px}"
        + ".actions{display:flex;gap:.75rem;margin-top:1.25rem}"
        + "button{padding:.75rem 1.5rem;border:1px solid #c4541b;border-radius:6px;background:#c4541b;color:#fff;font:inherit;font-weight:600;cursor:pointer}"
        + "button[value=deny]{background:#fff;color:#c4541b}"
        + ".fine{color:#57606a;font-size:.875rem}";

    /// <summary>The page for one authorize request; its form posts back every parameter.</summary>
    public static string Render(string clientId, IReadOnlyDictionary<string, string?> parameters)
    {
        var hidden = string.Concat(parameters
            .Where(p => p.Value is not null)
            .Select(p => $"<input type=\"hidden\" name=\"{Encode(p.Key)}\" value=\"{Encode(p.Value)}\">"));
        return Page("Sign in", $"""
            <h1>Sign in to Procore</h1>
            <p>The app <strong>{Encode(clientId)}</strong> asks to access your Procore account.</p>
            <form method="post" action="/oauth/authorize">
              {hidden}
              <label>Email <input name="login" type="email" value="admin@example.com"></label>
              <label>Password <input name="password" type="password" value="simulator"></label>
              <div class="actions">
                <button type="submit" name="decision" value="allow">Allow</button>
                <button type="submit" name="decision" value="deny">Deny</button>
              </div>
            </form>
            <p class="fine">Any email and password are accepted. Allow answers the app with a code, Deny with access_denied.</p>
            """);
    }

    /// <summary>An error page for an authorize request that cannot be redirected back.</summary>
    public static string Error(string message) =>
        Page("Error", $"<h1>Authorization error</h1><p>{Encode(message)}</p>");

    private static string Page(string title, string body) => $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Procore simulator - {Encode(title)}</title><style>{Style}</style></head>
        <body><main>
        <p class="simulator" id="simulator">Procore simulator: not the real Procore. For development and tests only.</p>
        {body}
        </main></body></html>
        """;

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
