namespace ProcoreConnect.ConnectLinks;

/// <summary>
/// Tells a press of a link's Connect button on the link's own page from a form another site made
/// a person's browser post (cross-site request forgery): browsers say where a form post came from,
/// in <c>Sec-Fetch-Site</c>, and in <c>Origin</c> where they do not send that. A request with
/// neither did not come from a browser's form on another site.
/// </summary>
public static class CrossSitePress
{
    /// <summary>True when the browser says the post came from another site than <paramref name="publicBase"/>'s.</summary>
    public static bool IsForeign(HttpRequest request, Uri publicBase)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            // "none": the person opened it directly; "same-origin": the link's own page.
            return site is not ("same-origin" or "none");
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !string.Equals(origin, publicBase.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
    }
}
