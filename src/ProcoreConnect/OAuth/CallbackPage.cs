using ProcoreConnect.Http;

namespace ProcoreConnect.OAuth;

/// <summary>The small HTML page a person sees at the end of the code flow, headed by the partner when the sign-in names one.</summary>
public static class CallbackPage
{
    /// <summary>A page with a heading and a message; everything is HTML-encoded.</summary>
    public static HtmlPage Render(int status, string heading, string message, PageBranding? branding = null) =>
        HtmlPage.Render(status, heading, $"<h1>{HtmlPage.Encode(heading)}</h1><p>{HtmlPage.Encode(message)}</p>", branding: branding);
}
