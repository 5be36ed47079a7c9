using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;

namespace ProcoreConnect.Tests.ConnectLinks;

/// <summary>A partner's image host on loopback: serves one SVG logo and records the Referer of each request for it.</summary>
public sealed class LogoServer : IAsyncDisposable
{
    private const string Svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\" viewBox=\"0 0 120 40\">"
        + "<rect width=\"40\" height=\"40\" rx=\"8\" fill=\"#0a5cc2\"/><path d=\"M10 30V10l10 12 10-12v20\" stroke=\"#fff\" stroke-width=\"4\" fill=\"none\"/>"
        + "<text x=\"48\" y=\"27\" font-family=\"sans-serif\" font-size=\"18\" font-weight=\"700\" fill=\"#0a5cc2\">NW</text></svg>";

    private readonly WebApplication _app;

    private LogoServer(WebApplication app) => _app = app;

    /// <summary>The Referer header of each request for the logo (null when none was sent).</summary>
    public ConcurrentQueue<string?> Requests { get; } = new();

    public Uri LogoUrl => new(_app.Urls.Single() + "/brand/logo.svg");

    public static async Task<LogoServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LogoServer(app);
        app.MapGet("/brand/logo.svg", (HttpRequest request) =>
        {
            server.Requests.Enqueue(request.Headers.Referer.Count == 0 ? null : request.Headers.Referer.ToString());
            return Results.Text(Svg, "image/svg+xml");
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
