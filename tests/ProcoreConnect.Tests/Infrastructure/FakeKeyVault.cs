using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// A loopback HTTPS server speaking the subset of the Key Vault secrets REST API the app uses
/// (set, get by version, update attributes, delete), including the bearer challenge the real
/// <see cref="SecretClient"/> starts every conversation with.
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    public const string Token = "fake-vault-access-token";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, StoredSecret>> _secrets = new();
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;

    private FakeKeyVault(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        _certificate = certificate;
    }

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>Requests that arrived without a valid bearer token (the challenge round trips).</summary>
    public int Challenges => _challenges;

    private int _challenges;
    private long _sequence;

    /// <summary>Every request, as "METHOD path".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeKeyVault> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = HttpProtocols.Http1AndHttp2;
            l.UseHttps(certificate);
        }));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var vault = new FakeKeyVault(app, certificate);
        app.Use(vault.Authenticate);
        app.MapPut("/secrets/{name}", vault.SetAsync);
        app.MapGet("/secrets/{name}/{version?}", vault.Get);
        app.MapMethods("/secrets/{name}/{version}", ["PATCH"], vault.UpdateAsync);
        app.MapDelete("/secrets/{name}", vault.Delete);
        await app.StartAsync();
        var address = app.Urls.Single().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        vault.VaultUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return vault;
    }

    /// <summary>A real SecretClient pointed at this vault, trusting only its certificate.</summary>
    public SecretClient CreateClient()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == _certificate.Thumbprint,
        };
        var options = new SecretClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(handler)),
            DisableChallengeResourceVerification = true,
            Retry = { MaxRetries = 0 },
        };
        return new SecretClient(VaultUri, new StaticTokenCredential(), options);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private async Task Authenticate(HttpContext context, RequestDelegate next)
    {
        Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            Interlocked.Increment(ref _challenges);
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate =
                "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";
            return;
        }

        await next(context);
    }

    private async Task<IResult> SetAsync(string name, HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body);
        var version = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var secret = new StoredSecret(body!["value"]!.GetValue<string>(), Enabled: true, Interlocked.Increment(ref _sequence));
        _secrets.GetOrAdd(name, _ => new())[version] = secret;
        return Results.Json(Bundle(name, version, secret, includeValue: true));
    }

    private IResult Get(string name, string? version)
    {
        if (_secrets.TryGetValue(name, out var all) && version is null && !all.IsEmpty)
        {
            // No version: the newest one, as Key Vault does.
            version = all.MaxBy(v => v.Value.Sequence).Key;
        }

        if (!_secrets.TryGetValue(name, out var versions) || version is null || !versions.TryGetValue(version, out var secret))
        {
            return Error(404, "SecretNotFound", $"A secret with (name/id) {name}/{version} was not found in this key vault.");
        }

        return secret.Enabled
            ? Results.Json(Bundle(name, version, secret, includeValue: true))
            : Error(403, "Forbidden", "Operation get is not allowed on a disabled secret.");
    }

    private async Task<IResult> UpdateAsync(string name, string version, HttpRequest request)
    {
        if (!_secrets.TryGetValue(name, out var versions) || !versions.TryGetValue(version, out var secret))
        {
            return Error(404, "SecretNotFound", "Not found.");
        }

        var body = await JsonNode.ParseAsync(request.Body);
        var enabled = body?["attributes"]?["enabled"]?.GetValue<bool>() ?? secret.Enabled;
        versions[version] = secret with { Enabled = enabled };
        return Results.Json(Bundle(name, version, versions[version], includeValue: false));
    }

    private IResult Delete(string name)
    {
        if (!_secrets.TryRemove(name, out _))
        {
            return Error(404, "SecretNotFound", "Not found.");
        }

        var deleted = Bundle(name, "0", new StoredSecret("", true, 0), includeValue: false);
        deleted["recoveryId"] = $"{VaultUri}deletedsecrets/{name}";
        deleted["deletedDate"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        deleted["scheduledPurgeDate"] = DateTimeOffset.UtcNow.AddDays(90).ToUnixTimeSeconds();
        return Results.Json(deleted);
    }

    private Dictionary<string, object?> Bundle(string name, string version, StoredSecret secret, bool includeValue)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var bundle = new Dictionary<string, object?>
        {
            ["id"] = $"{VaultUri}secrets/{name}/{version}",
            ["attributes"] = new { enabled = secret.Enabled, created = now, updated = now, recoveryLevel = "Recoverable+Purgeable" },
        };
        if (includeValue)
        {
            bundle["value"] = secret.Value;
        }

        return bundle;
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }

    private sealed record StoredSecret(string Value, bool Enabled, long Sequence);

    private sealed class StaticTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(Token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
