using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Tokens;

/// <summary>
/// The hot token call answered ahead of the pipeline gives, for every state a key can be in, the
/// answer the pipeline gives: the same status, problem body and headers.
/// </summary>
public sealed class HotTokenLaneTests(HotTokenLaneTests.LaneFixture fixture) : IClassFixture<HotTokenLaneTests.LaneFixture>
{
    private const string PartnerA = "partner-lane-a";
    private const string PartnerB = "partner-lane-b";

    /// <summary>
    /// Each state, the answer both paths must give, whether the token is in memory when the lane
    /// sees the call, and whether the lane (not the pipeline) answers it.
    /// </summary>
    public static TheoryData<string, HttpStatusCode, bool, bool> KeyStates => new()
    {
        { "valid", HttpStatusCode.OK, true, true },
        { "token not in memory", HttpStatusCode.OK, false, false },
        { "withheld token", HttpStatusCode.Forbidden, true, false },
        { "revoked", HttpStatusCode.Unauthorized, true, false },
        { "unknown id", HttpStatusCode.Unauthorized, true, false },
        { "wrong secret", HttpStatusCode.Unauthorized, true, false },
        { "another partner's", HttpStatusCode.NotFound, true, false },
        { "admin", HttpStatusCode.Forbidden, true, false },
        { "malformed", HttpStatusCode.Unauthorized, true, false },
        { "wrong scheme", HttpStatusCode.Unauthorized, true, false },
    };

    [Theory]
    [MemberData(nameof(KeyStates))]
    public async Task Every_key_state_gets_the_pipelines_answer(string state, HttpStatusCode expected, bool tokenInMemory, bool laneAnswers)
    {
        var withheld = state == "withheld token";
        var (owner, id) = withheld
            ? await WithheldWorkspaceAsync()
            : (AppFactory.DefaultPartner, await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register()));
        var workspace = new WorkspaceRef(owner, id);
        var (header, value) = await CredentialsAsync(state, owner, id);
        var cache = fixture.App.Service<TokenCache>();

        // The pipeline's answer: with the token out of memory the lane has nothing to answer with.
        cache.Remove(workspace);
        var before = fixture.Authentications.Count;
        var pipeline = await SendAsync(id, header, value);
        var pipelineAuthenticated = fixture.Authentications.Count > before;

        // The lane's turn: the owner's own call puts the token in memory, where a hot call finds it.
        var ownerCall = await SendAsync(id, ApiKeyAuthenticationHandler.Header, fixture.App.PartnerKey(owner));
        Assert.Equal(withheld ? HttpStatusCode.Forbidden : HttpStatusCode.OK, ownerCall.StatusCode);
        Assert.Equal(withheld, Assert.IsType<CachedToken>(fixture.App.Service<TokenReader>().Hot(workspace)).Withheld);
        if (!tokenInMemory)
        {
            cache.Remove(workspace);
        }

        before = fixture.Authentications.Count;
        var lane = await SendAsync(id, header, value);
        var laneAnswered = lane.StatusCode == HttpStatusCode.OK && fixture.Authentications.Count == before;

        Assert.Equal(expected, pipeline.StatusCode);
        Assert.Equal(expected, lane.StatusCode);
        Assert.Equal(await AnswerAsync(pipeline), await AnswerAsync(lane));
        Assert.Equal(laneAnswers, laneAnswered);
        if (expected == HttpStatusCode.OK)
        {
            // What the lane is compared with came through authentication, not through the lane.
            Assert.True(pipelineAuthenticated);
        }
    }

    [Fact]
    public async Task The_lane_answers_only_a_route_that_asks_for_nothing_but_a_partner_key()
    {
        var endpoint = fixture.App.Service<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .Single(e => e.Metadata.GetMetadata<HotTokenRoute>() is not null);

        // The lane stands in for authentication, authorization and the rate limiter, and checks a
        // partner key: the route may ask those for nothing else.
        var authorize = Assert.Single(endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>());
        Assert.Equal(Roles.Partner, authorize.Policy);
        Assert.Null(authorize.Roles);
        Assert.Null(authorize.AuthenticationSchemes);
        Assert.Empty(endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        Assert.Empty(endpoint.Metadata.GetOrderedMetadata<IAuthorizationRequirementData>());
        Assert.Null(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
        Assert.Null(endpoint.Metadata.GetMetadata<RateLimited>());

        var policy = await fixture.App.Service<IAuthorizationPolicyProvider>().GetPolicyAsync(Roles.Partner);
        Assert.Empty(policy!.AuthenticationSchemes);
        Assert.Collection(
            policy.Requirements,
            r => Assert.IsType<DenyAnonymousAuthorizationRequirement>(r),
            r => Assert.Equal(Roles.Partner, Assert.Single(Assert.IsType<RolesAuthorizationRequirement>(r).AllowedRoles)),
            r =>
            {
                var claim = Assert.IsType<ClaimsAuthorizationRequirement>(r);
                Assert.Equal(Roles.PartnerClaim, claim.ClaimType);
                Assert.True(claim.AllowedValues is null || !claim.AllowedValues.Any());
            });
    }

    [Fact]
    public void The_lane_and_the_handler_check_keys_through_one_verifier()
    {
        foreach (var type in new[] { typeof(HotTokenLane), typeof(ApiKeyAuthenticationHandler) })
        {
            var dependencies = type.GetConstructors().Single().GetParameters().Select(p => p.ParameterType).ToList();
            Assert.Contains(typeof(ApiKeyVerifier), dependencies);
            Assert.DoesNotContain(typeof(PartnerKeyStore), dependencies);
        }
    }

    private async Task<(string Header, string Value)> CredentialsAsync(string state, string owner, string id)
    {
        var keys = fixture.App.Service<PartnerKeyStore>();
        var valid = fixture.App.PartnerKey(owner);
        var (keyId, secret) = (valid.Split('_', 3)[1], valid.Split('_', 3)[2]);
        switch (state)
        {
            case "revoked":
                // Used while valid, so whatever remembers a verified key has seen it.
                var revoked = await keys.CreateAsync(owner, "revoked", default);
                Assert.Equal(HttpStatusCode.OK, (await SendAsync(id, ApiKeyAuthenticationHandler.Header, revoked.Key)).StatusCode);
                Assert.True(await keys.RevokeAsync(owner, revoked.KeyId, default));
                return (ApiKeyAuthenticationHandler.Header, revoked.Key);
            case "unknown id":
                return (ApiKeyAuthenticationHandler.Header, $"pck_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}_{secret}");
            case "wrong secret":
                return (ApiKeyAuthenticationHandler.Header, $"pck_{keyId}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}");
            case "another partner's":
                return (ApiKeyAuthenticationHandler.Header, fixture.App.PartnerKey(PartnerB));
            case "admin":
                return (ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
            case "malformed":
                return (ApiKeyAuthenticationHandler.Header, "pck_not-a-key");
            case "wrong scheme":
                return ("Authorization", "Bearer " + valid);
            default:
                return (ApiKeyAuthenticationHandler.Header, valid);
        }
    }

    // A workspace on the operator's public client-credentials client once it serves two partners:
    // its token is held in memory for the service's own calls, and handed to neither.
    private async Task<(string Owner, string Id)> WithheldWorkspaceAsync()
    {
        var admin = fixture.App.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        var app = fixture.Simulator.Register(true, 1001, 1002);
        var name = Connections.NewClientName();
        var client = Connections.Client(app.ClientSecret, "client_credentials", app.ClientId).Without("redirectUri");
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync($"/api/oauth-clients/{name}", Json.Body(client))).StatusCode);
        foreach (var (partner, company) in new[] { (PartnerA, 1001L), (PartnerB, 1002L) })
        {
            var grant = Json.Body(new Dictionary<string, object> { ["companyIds"] = new[] { company } });
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/oauth-clients/{name}/grants/{partner}", grant)).StatusCode);
        }

        var id = Connections.NewId();
        var body = Json.Body(Connections.Valid(name).With("companyId", 1001).With("environment", "production"));
        Assert.Equal(HttpStatusCode.Created, (await fixture.App.ClientFor(PartnerA).PutAsync($"/api/workspaces/{id}/connection", body)).StatusCode);
        return (PartnerA, id);
    }

    private async Task<HttpResponseMessage> SendAsync(string id, string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/workspaces/{id}/token");
        request.Headers.TryAddWithoutValidation(header, value);
        return await fixture.App.AnonymousClient().SendAsync(request);
    }

    // Everything a caller sees but the date and the problem's trace id, which differ per request.
    private static async Task<string> AnswerAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}");
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType is { MediaType: "application/problem+json" })
        {
            var problem = JsonNode.Parse(body)!.AsObject();
            problem.Remove("traceId");
            body = problem.ToJsonString();
        }

        return $"{(int)response.StatusCode}\n{string.Join("\n", headers)}\n\n{body}";
    }

    /// <summary>The app with a count of the pipeline's successful authentications.</summary>
    public sealed class LaneFixture : ProcoreFixture
    {
        public CountingClaimsTransformation Authentications { get; } = new();

        protected override HttpClient Start(AppFactory app) =>
            base.Start(app.WithServices(s => s.AddSingleton<IClaimsTransformation>(Authentications)));
    }

    /// <summary>Counts the principals the authentication service hands on: the pipeline authenticated a call, the lane did not.</summary>
    public sealed class CountingClaimsTransformation : IClaimsTransformation
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(principal);
        }
    }
}
