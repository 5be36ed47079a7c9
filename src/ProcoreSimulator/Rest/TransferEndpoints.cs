using System.Globalization;
using System.Security.Cryptography;
using ProcoreSimulator.State;

namespace ProcoreSimulator.Rest;

/// <summary>
/// REST endpoints a proxy in front of Procore is tested with, each a Procore call as
/// <see cref="RestEndpoints"/> answers them (token, rate limit, DMSA company): an echo of what
/// arrived (any method, under <c>rest/</c> and <c>vapid/</c>), a large download and a write.
/// Their answers carry what a proxy must not pass back: a cookie and a hop-by-hop header.
/// </summary>
public static class TransferEndpoints
{
    /// <summary>Largest download, 1 GiB.</summary>
    public const long MaxDownload = 1L << 30;

    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Maps <c>/rest/v1.0/echo/…</c>, <c>/vapid/echo/…</c>, <c>/rest/v1.0/downloads/{bytes}</c>, <c>/rest/v1.0/uploads</c> and <c>/rest/v1.0/redirect?to=</c>.</summary>
    public static IEndpointRouteBuilder MapTransfers(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/rest/v1.0/echo/{**rest}", Methods, (HttpContext http, SimulatorState state) =>
            RestEndpoints.Call(http, state, requirePermissions: false, (_, _) => Echo(http)));
        app.MapMethods("/vapid/echo/{**rest}", Methods, (HttpContext http, SimulatorState state) =>
            RestEndpoints.Call(http, state, requirePermissions: false, (_, _) => Echo(http)));
        app.MapGet("/rest/v1.0/downloads/{bytes:long}", (long bytes, HttpContext http, SimulatorState state) =>
            RestEndpoints.Call(http, state, requirePermissions: false, (_, _) => bytes is < 0 or > MaxDownload
                ? Results.Json(new { errors = $"bytes must be 0 to {MaxDownload}." }, statusCode: 400)
                : Download(http, bytes)));
        app.MapMethods("/rest/v1.0/uploads", ["POST", "PUT", "PATCH"], async (HttpContext http, SimulatorState state) =>
        {
            // The body is read before the call is answered, as a real upload endpoint's would be.
            var (length, sha256) = await DigestAsync(http.Request.Body, http.RequestAborted);
            return await RestEndpoints.Call(http, state, requirePermissions: false, (_, _) =>
                Results.Json(new { bytes = length, sha256 }, statusCode: 201));
        }).WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute()); // Procore takes large files; Kestrel's default is 30 MB
        // As a Procore download answers with a file store's pre-signed URL, or a moved resource with its new path.
        app.MapGet("/rest/v1.0/redirect", (string to, HttpContext http, SimulatorState state) =>
            RestEndpoints.Call(http, state, requirePermissions: false, (_, _) => Results.Redirect(to)));
        return app;
    }

    private static IResult Echo(HttpContext http)
    {
        AddWhatAProxyDrops(http.Response);
        var target = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        return Results.Json(new
        {
            method = http.Request.Method,
            target,
            headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        });
    }

    private static IResult Download(HttpContext http, long bytes)
    {
        AddWhatAProxyDrops(http.Response);
        http.Response.ContentLength = bytes;
        return Results.Stream(async body =>
        {
            // A repeating pattern from one buffer: the simulator spends no memory on the size asked for.
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)(i % 251);
            }

            for (var left = bytes; left > 0; left -= chunk.Length)
            {
                await body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), http.RequestAborted);
            }
        }, "application/octet-stream");
    }

    private static void AddWhatAProxyDrops(HttpResponse response)
    {
        response.Headers.SetCookie = "_procore_session=simulated; path=/; HttpOnly";
        response.Headers.Connection = "X-Simulator-Hop";
        response.Headers["X-Simulator-Hop"] = "hop-by-hop";
        response.Headers["X-Request-Id"] = Guid.NewGuid().ToString();
    }

    private static async Task<(long Length, string Sha256)> DigestAsync(Stream body, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
