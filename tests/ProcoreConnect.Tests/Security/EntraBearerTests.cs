using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Security;

/// <summary>
/// The app accepting Entra ID bearer tokens signed with a key the tests hold (no network), shared
/// by the tests of <see cref="EntraBearerTests"/>: one app start and one RSA key for the class.
/// </summary>
public sealed class EntraFixture : IDisposable
{
    public const string Issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0";
    public const string Audience = "api://procore-connect";
    private readonly RSA _rsa = RSA.Create(2048);

    public EntraFixture()
    {
        Key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };
        App = AppFactory.With(new Dictionary<string, string?>
        {
            ["Auth:Entra:Audience"] = Audience,
            ["Auth:Entra:Partners:11111111-aaaa-bbbb-cccc-000000000001"] = "partner-entra",
        }).WithServices(s => s.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            // Stands in for the tenant's OpenID metadata, which tests cannot fetch.
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(Key);
            o.Configuration = configuration;
            o.TokenValidationParameters.ValidIssuer = Issuer;
            o.TokenValidationParameters.IssuerSigningKey = Key;
        }));
    }

    public RsaSecurityKey Key { get; }

    public AppFactory App { get; }

    public void Dispose()
    {
        App.Dispose();
        _rsa.Dispose();
    }
}

/// <summary>Entra ID bearer tokens, validated by JwtBearer against a key the test holds (no network).</summary>
public sealed class EntraBearerTests(EntraFixture fixture) : IClassFixture<EntraFixture>
{
    private const string Issuer = EntraFixture.Issuer;
    private const string Audience = EntraFixture.Audience;
    private readonly RsaSecurityKey _key = fixture.Key;
    private readonly AppFactory _app = fixture.App;

    private HttpClient ClientWith(string token)
    {
        var client = _app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>
    /// An access token as Entra ID issues it to this API: app-only by default (client credentials:
    /// <c>idtyp=app</c>, the optional claim the API's registration asks for, and no <c>scp</c>);
    /// <paramref name="user"/> makes it a delegated token, a person signed in through the app.
    /// </summary>
    private string Token(
        string[] roles, string audience = Audience, DateTime? expires = null, string app = "11111111-aaaa-bbbb-cccc-000000000001", SecurityKey? key = null,
        bool user = false, Dictionary<string, object>? extra = null)
    {
        var claims = new Dictionary<string, object> { ["azp"] = app, ["roles"] = roles };
        if (user)
        {
            claims["scp"] = "access_as_user";
            claims["name"] = "A Person";
        }
        else
        {
            claims["idtyp"] = "app";
        }

        foreach (var (name, value) in extra ?? [])
        {
            claims[name] = value;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    [Fact]
    public async Task A_partner_app_role_token_works_as_its_mapped_partner()
    {
        var client = ClientWith(Token(["ProcoreConnect.Partner"]));
        var id = Connections.NewId();
        var oauthClient = Connections.NewClientName(); // the app is shared by the class: a client no other test created
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync($"/api/oauth-clients/{oauthClient}", Json.Body(Connections.Client()))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(oauthClient)))).StatusCode);
        var workspace = await _app.Service<ProcoreConnect.Workspaces.WorkspaceRepository>().FindAsync(new ProcoreConnect.Workspaces.WorkspaceRef("partner-entra", id), default);
        Assert.Equal("partner-entra", workspace!.PartnerId);
        // The API-key partner does not see it.
        Assert.Equal(HttpStatusCode.NotFound, (await _app.CreateClient().GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
    }

    [Fact]
    public async Task Wrong_audience_expired_foreign_signature_and_missing_role_are_refused()
    {
        using var otherRsa = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWith(Token(["ProcoreConnect.Partner"], audience: "api://other")).GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWith(Token(["ProcoreConnect.Partner"], expires: DateTime.UtcNow.AddHours(-1))).GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWith(Token(["ProcoreConnect.Partner"], key: new RsaSecurityKey(otherRsa) { KeyId = "test-key" })).GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientWith(Token([])).GetAsync("/api/workspaces")).StatusCode);
        Assert.Contains(_app.Logs.Lines, l => l.Contains("Refused bearer token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_person_signed_in_through_a_partners_app_cannot_act_as_the_partner()
    {
        // A delegated token: the user holds the partner role, azp is the (shared) client they signed in with.
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientWith(Token(["ProcoreConnect.Partner"], user: true)).GetAsync("/api/workspaces")).StatusCode);
        // No idtyp=app: not known to be app-only (the API's registration must ask for the optional claim).
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientWith(Token(["ProcoreConnect.Partner"], extra: new() { ["idtyp"] = "user" })).GetAsync("/api/workspaces")).StatusCode);
        // Any scp makes it delegated, whatever idtyp says.
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientWith(Token(["ProcoreConnect.Partner"], extra: new() { ["scp"] = "access_as_user" })).GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientWith(Token(["ProcoreConnect.Partner"])).GetAsync("/api/workspaces")).StatusCode);
    }

    [Theory]
    [InlineData("procoreconnect.partner")]
    [InlineData("PROCORECONNECT.PARTNER")]
    [InlineData("ProcoreConnect.Partner ")]
    [InlineData("partner")]
    [InlineData("Partner")]
    public async Task Only_the_configured_partner_role_exactly_makes_a_partner(string role) =>
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientWith(Token([role])).GetAsync("/api/workspaces")).StatusCode);

    [Theory]
    [InlineData("procoreconnect.admin")]
    [InlineData("admin")]
    public async Task Only_the_configured_admin_role_exactly_makes_an_admin(string role) =>
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientWith(Token([role])).PostAsync("/api/partners/p1/keys", null)).StatusCode);

    [Fact]
    public async Task A_token_cannot_name_its_own_partner()
    {
        var client = ClientWith(Token(["ProcoreConnect.Partner"], extra: new() { ["partner_id"] = AppFactory.DefaultPartner }));
        var id = Connections.NewId();
        Assert.True((await client.PutAsync($"/api/oauth-clients/{Connections.DefaultClient}", Json.Body(Connections.Client()))).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).StatusCode);
        // The workspace belongs to the partner mapped from the calling app, not to the one the token named.
        Assert.NotNull(await _app.Service<ProcoreConnect.Workspaces.WorkspaceRepository>().FindAsync(new ProcoreConnect.Workspaces.WorkspaceRef("partner-entra", id), default));
        Assert.Null(await _app.Service<ProcoreConnect.Workspaces.WorkspaceRepository>().FindAsync(new ProcoreConnect.Workspaces.WorkspaceRef(AppFactory.DefaultPartner, id), default));
    }

    [Fact]
    public async Task A_person_holding_the_admin_role_administers_keys()
    {
        // The admin role is assigned to people on purpose; unlike the partner role it names no calling app.
        Assert.Equal(HttpStatusCode.Created, (await ClientWith(Token(["ProcoreConnect.Admin"], user: true)).PostAsync("/api/partners/p1/keys", null)).StatusCode);
    }

    [Fact]
    public async Task The_admin_app_role_administers_keys_and_a_partner_role_cannot()
    {
        Assert.Equal(HttpStatusCode.Created, (await ClientWith(Token(["ProcoreConnect.Admin"])).PostAsync("/api/partners/p1/keys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientWith(Token(["ProcoreConnect.Partner"])).PostAsync("/api/partners/p1/keys", null)).StatusCode);
    }
}
