using System.Net;

namespace ProcoreConnect.OAuth;

/// <summary>The small HTML page a person sees at the end of the code flow.</summary>
public static class CallbackPage
{
    /// <summary>A page with a heading and a message; everything is HTML-encoded.</summary>
    public static IResult Render(int status, string heading, string message) =>
        Results.Content(
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Procore Connect - {Encode(heading)}</title></head>
            <body><h1>{Encode(heading)}</h1><p>{Encode(message)}</p></body></html>
            """,
            "text/html; charset=utf-8",
            statusCode: status);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
