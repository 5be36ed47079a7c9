using System.Globalization;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;

namespace ProcoreConnect.ConnectLinks;

/// <summary>
/// The page a connect link opens: whom it connects for (the partner), what will be connected (the
/// company, by name where the service learned it), a Connect button that posts back to the link (a
/// plain form: no script), or why there is nothing to do. Every value is HTML-encoded. The words
/// keep a link (it lasts hours or days) apart from a sign-in (it lasts minutes).
/// </summary>
public static class ConnectLinkPage
{
    /// <summary>
    /// The page for <paramref name="visit"/>. Its form (open or in progress) posts back to the
    /// link's own URL, and the answer redirects to <paramref name="authorize"/>, Procore's sign-in
    /// page, for a sign-in that lasts <paramref name="signIn"/>.
    /// </summary>
    public static HtmlPage Render(ConnectLinkVisit visit, Uri? authorize, TimeSpan signIn)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var link = visit.Link;
        var brand = visit.Branding;
        return visit.View switch
        {
            ConnectLinkView.Open => HtmlPage.Render(
                StatusCodes.Status200OK,
                "Connect to Procore",
                Heading("open", "Connect to Procore")
                + $"<p><strong>{HtmlPage.Encode(brand?.Name)}</strong> asks to connect to {CompanyPhrase(visit)} through the app <strong>{HtmlPage.Encode(AppName(visit))}</strong>. "
                + "You will sign in to Procore next and choose whether to allow it.</p>"
                + Details(visit)
                + LastOutcome(link!.LastOutcome)
                + Button("Connect to Procore")
                + $"<p class=\"fine\">This link works until {Time(link.ExpiresAt)} and connects the workspace once. "
                + $"The Procore sign-in you start with it must be finished within {Minutes(signIn)}.</p>",
                authorize!,
                brand),
            ConnectLinkView.AlreadyConnected => Page(
                StatusCodes.Status200OK, "already-connected", "Already connected", visit,
                "This workspace is already connected to Procore. There is nothing to do: you can close this window."),
            ConnectLinkView.InProgress => HtmlPage.Render(
                StatusCodes.Status200OK,
                "Sign-in under way",
                Heading("in-progress", "Sign-in under way")
                + $"<p>Connect was pressed on this link and that Procore sign-in has not come back yet. Finish it in the window it opened in (a sign-in lasts {Minutes(signIn)}). "
                + "If you closed it or went back, start over: the earlier sign-in will then no longer count.</p>"
                + Details(visit)
                + Button("Start over")
                + $"<p class=\"fine\">This link works until {Time(link!.ExpiresAt)} and connects the workspace once.</p>",
                authorize!,
                brand),
            ConnectLinkView.Used => Page(
                StatusCodes.Status410Gone, "used", "Link already used", visit,
                $"This link connected the workspace to Procore on {Time(link!.UsedAt!.Value)}. A link works once: if you need to connect again, {AskAgain(visit)}"),
            ConnectLinkView.Expired => Page(
                StatusCodes.Status410Gone, "expired", "Link expired", visit,
                $"This link was valid until {Time(link!.ExpiresAt)}. To connect, {AskAgain(visit)}"),
            _ => HtmlPage.Render(
                StatusCodes.Status404NotFound,
                "Link not found",
                Heading("not-found", "Link not found")
                + $"<p>This connect link is unknown or no longer valid: it may be incomplete, or the workspace it was made for was deleted. To connect, {AskAgain(visit)}</p>",
                branding: brand),
        };

        static string Time(DateTimeOffset at) => $"<time datetime=\"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\">{HtmlPage.Encode(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))}</time>";
    }

    /// <summary>How the environment is named to people.</summary>
    public static string EnvironmentName(ProcoreEnvironment environment) => environment switch
    {
        ProcoreEnvironment.Production => "Production",
        ProcoreEnvironment.Sandbox => "Development sandbox",
        ProcoreEnvironment.Federal => "Federal Zone (Procore for Government)",
        _ => "Monthly sandbox",
    };

    /// <summary>The company as a person knows it: its name where the service learned it, and its Procore id.</summary>
    public static string CompanyLabel(Workspaces.Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var id = workspace.CompanyId.ToString(CultureInfo.InvariantCulture);
        return workspace.CompanyName is { } name ? $"{name} (Procore company {id})" : $"Procore company {id}";
    }

    // A state page: heading, one message (already HTML: encoded values and <time> elements), the details.
    private static HtmlPage Page(int status, string state, string heading, ConnectLinkVisit visit, string message) =>
        HtmlPage.Render(status, heading, Heading(state, heading) + $"<p>{message}</p>" + Details(visit), branding: visit.Branding);

    // "ask Acme Platform, which sent it, for a new link." (HTML)
    private static string AskAgain(ConnectLinkVisit visit) => visit.Branding is { } brand
        ? $"ask {HtmlPage.Encode(brand.Name)}, which sent it, for a new link."
        : "ask the platform that sent it for a new link.";

    private static string CompanyPhrase(ConnectLinkVisit visit) => visit.Target.Workspace?.CompanyName is { } name
        ? $"the Procore account of <strong>{HtmlPage.Encode(name)}</strong>"
        : "your company's Procore account";

    private static string Minutes(TimeSpan span) => span.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " minutes";

    // The one form: it posts back to the page's own URL (no action), which answers with a redirect to Procore.
    private static string Button(string label) => $"<form method=\"post\"><button type=\"submit\" id=\"connect\">{HtmlPage.Encode(label)}</button></form>";

    // data-state names the page for tests and support; people read the heading.
    private static string Heading(string state, string text) => $"<h1 data-state=\"{state}\">{HtmlPage.Encode(text)}</h1>";

    private static string Details(ConnectLinkVisit visit) =>
        visit.Target.Workspace is not { } workspace
            ? ""
            : "<dl>"
              + (visit.Branding is { } brand ? $"<dt>Requested by</dt><dd id=\"requested-by\">{PartnerDetail(brand)}</dd>" : "")
              + $"<dt>Procore company</dt><dd id=\"company\">{CompanyDetail(workspace)}</dd>"
              + $"<dt>Environment</dt><dd id=\"environment\">{HtmlPage.Encode(EnvironmentName(workspace.Environment))}</dd>"
              + $"<dt>App</dt><dd id=\"app\">{HtmlPage.Encode(AppName(visit))}</dd>"
              + "</dl>";

    // The name the partner chose, then the id the operator gave it: no partner can choose another's id.
    private static string PartnerDetail(PageBranding brand) => brand.DisplayName is { } name
        ? $"{HtmlPage.Encode(name)} <small>(partner {HtmlPage.Encode(brand.PartnerId)})</small>"
        : HtmlPage.Encode(brand.PartnerId);

    private static string CompanyDetail(Workspaces.Workspace workspace)
    {
        var id = workspace.CompanyId.ToString(CultureInfo.InvariantCulture);
        return workspace.CompanyName is { } name ? $"{HtmlPage.Encode(name)} <small>(id {id})</small>" : id;
    }

    private static string AppName(ConnectLinkVisit visit) =>
        visit.Target.Client is { } client ? client.DisplayName ?? client.Ref.Name : "";

    private static string LastOutcome(ConnectLinkOutcome? outcome) => outcome switch
    {
        ConnectLinkOutcome.Denied => "<p class=\"notice\" id=\"last-outcome\" data-outcome=\"denied\">Access was denied in Procore on the last try, so nothing was connected. You can try again.</p>",
        ConnectLinkOutcome.Failed => "<p class=\"notice\" id=\"last-outcome\" data-outcome=\"failed\">The last try did not connect: Procore refused the sign-in. You can try again.</p>",
        _ => "",
    };
}
