using System.Net;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Secrets;
using ProcoreConnect.Security;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Webhooks;
using ProcoreConnect.Workspaces;
using Xunit.Abstractions;

namespace ProcoreConnect.Tests.Security;

/// <summary>
/// The fixture with partner host names that resolve to internal addresses (no DNS involved). Not
/// loopback: the fixture runs with Events:AllowInsecureLoopback, the development switch that allows
/// it (PartnerWebhookConnectTests covers loopback names with the switch off).
/// </summary>
public sealed class HostileFixture : ProcoreFixture
{
    public static readonly (string Host, string Address)[] InternalNames =
    [
        ("hooks.internal.example", "10.0.0.7"), ("metadata.internal.example", "169.254.169.254"), ("lan.internal.example", "192.168.1.9"),
        ("wire.internal.example", "168.63.129.16"), ("cgnat.internal.example", "100.64.3.4"), ("ula.internal.example", "fd00::7"),
        ("nat64.internal.example", "64:ff9b::a9fe:a9fe"), ("mapped.internal.example", "::ffff:192.168.0.1"),
    ];

    protected override HttpClient Start(AppFactory app)
    {
        var resolver = new TestResolver();
        foreach (var (host, address) in InternalNames)
        {
            resolver.Answer(host, [System.Net.IPAddress.Parse(address)]);
        }

        app.WithServices(s => s.AddSingleton<ProcoreConnect.Events.HostAddressResolver>(resolver));
        return base.Start(app);
    }
}

/// <summary>
/// Ten thousand generated hostile requests across every endpoint: each is built to be refused.
/// None may answer 5xx, change any stored row, or echo a secret in a response or a log line.
/// </summary>
[Slow(SlowKind.Scale)]
public sealed class HostileInputTests(HostileFixture fixture, ITestOutputHelper output) : IClassFixture<HostileFixture>
{
    private const int Requests = 10_000;

    private static readonly string[] HostileIds =
    [
        "UPPER", "a'b", "a\"b", "a;drop", "..", "a%2Fb", "ws_1", "-lead", new string('a', 65), "%E2%80%AE", "a%20b",
        "x' or PartitionKey ne '", "%27%29%20or%20%28%27", "ws%0D%0Aheader", "<script>", "a%5Cb", "%F0%9F%92%A5",
        "%0A", "ws%0A", "%0Aws", "ws%0Aid", "ws%0D", "ws%E2%80%A8", "ws%C2%85",
    ];

    private static readonly string[] StateValues =
    [
        "", "x", "' or 1=1 --", new string('s', 5000), "%00", "<img src=x onerror=alert(1)>", "state\r\nSet-Cookie: a=b", "../../etc/passwd", "🦄",
    ];

    [Fact]
    public async Task Ten_thousand_malformed_requests_cause_no_5xx_no_state_change_and_leak_no_secret()
    {
        // Canaries: partner-a's connected workspaces, a configured Procore hook, and every secret they hold.
        var app = fixture.Simulator.Register();
        var codeFlow = await fixture.ConnectedWorkspaceAsync(app);
        var account = fixture.Simulator.Register();
        var clientCredentials = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        (await fixture.Client.GetAsync($"/api/workspaces/{clientCredentials}/token")).EnsureSuccessStatusCode();
        var hook = await (await fixture.Client.PutAsync($"/api/workspaces/{codeFlow}/webhooks/procore", null)).ReadAsync<InboundHookSettings>();
        var ids = new[] { codeFlow, clientCredentials };
        var clientNames = new List<string>();
        foreach (var id in ids)
        {
            clientNames.Add((await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Client.Name);
        }

        var secrets = await SecretsOfAsync(ids);
        secrets.AddRange([app.ClientSecret, account.ClientSecret, hook.Authorization[7..], fixture.App.PartnerKey("partner-a"), AppFactory.AdminKey]);

        var clients = new Dictionary<string, HttpClient>
        {
            ["anonymous"] = fixture.App.AnonymousClient(),
            ["partner-a"] = fixture.Client,
            ["partner-b"] = fixture.App.ClientFor("partner-b"),
            ["bad-key"] = WithHeader(fixture.App.AnonymousClient(), ApiKeyAuthenticationHandler.Header, "pck_0123456789abcdef_forged"),
            ["bad-bearer"] = WithHeader(fixture.App.AnonymousClient(), "Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."),
        };
        secrets.Add(fixture.App.PartnerKey("partner-b"));
        // A key's first use writes its lastUsedAt (then at most once per Auth:KeyUseRecordInterval):
        // bookkeeping of the key, made before the snapshot so what follows is held to changing nothing.
        (await clients["partner-b"].GetAsync("/api/workspaces")).EnsureSuccessStatusCode();
        var before = await SnapshotAsync();

        var random = new Random(20261122);
        var plans = Enumerable.Range(0, Requests).Select(_ => Generate(random, ids, [.. clientNames], hook)).ToList();
        var byStatus = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var byKind = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var leaks = new System.Collections.Concurrent.ConcurrentBag<string>();
        var serverErrors = new System.Collections.Concurrent.ConcurrentBag<string>();
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (plan, ct) =>
        {
            using var request = new HttpRequestMessage(plan.Method, plan.Path);
            if (plan.Body is not null)
            {
                request.Content = new ByteArrayContent(plan.Body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", plan.ContentType);
            }

            foreach (var (name, value) in plan.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await clients[plan.Caller].SendAsync(request, ct);
            var text = response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
            byKind.AddOrUpdate(plan.Kind, 1, (_, n) => n + 1);
            if (status >= 500)
            {
                serverErrors.Add($"{status} {plan.Kind} {plan.Method} {plan.Path}");
            }
            else if (status is < 400)
            {
                unexpected.Add($"{status} {plan.Kind} {plan.Method} {plan.Path}");
            }

            foreach (var secret in secrets.Where(s => text.Contains(s, StringComparison.Ordinal)))
            {
                leaks.Add($"{plan.Kind} {plan.Method} {plan.Path}");
            }
        });

        var after = await SnapshotAsync();
        var logLeaks = fixture.App.Logs.Lines.Count(l => secrets.Any(s => l.Contains(s, StringComparison.Ordinal)));

        output.WriteLine($"requests: {plans.Count}; by status: {string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"))}");
        output.WriteLine($"by kind: {string.Join(", ", byKind.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}"))}");
        output.WriteLine($"5xx: {serverErrors.Count}; accepted: {unexpected.Count}; rows changed: {before.Except(after).Count() + after.Except(before).Count()}; secrets in responses: {leaks.Count}; in log lines: {logLeaks}");
        Console.WriteLine($"hostile-input: {plans.Count} requests, {serverErrors.Count} 5xx, {unexpected.Count} accepted, {leaks.Count + logLeaks} secret leaks, rows before {before.Count} after {after.Count}");

        Assert.Equal(Requests, plans.Count);
        Assert.True(serverErrors.IsEmpty, string.Join("\n", serverErrors.Take(20)));
        Assert.True(unexpected.IsEmpty, string.Join("\n", unexpected.Take(20)));
        Assert.Equal(before.Order(StringComparer.Ordinal), after.Order(StringComparer.Ordinal));
        Assert.Empty(leaks);
        Assert.Equal(0, logLeaks);
        Assert.True(byKind.Count >= 10);
    }

    private sealed record Plan(string Kind, string Caller, HttpMethod Method, string Path, byte[]? Body, string ContentType, List<(string, string)> Headers);

    private static Plan Generate(Random r, string[] ids, string[] clientNames, InboundHookSettings hook)
    {
        var mine = ids[r.Next(ids.Length)];
        var myClient = clientNames[r.Next(clientNames.Length)];
        var badId = HostileIds[r.Next(HostileIds.Length)];
        var json = "application/json";
        switch (r.Next(13))
        {
            case 0: // no or wrong credentials, any protected route
            {
                var route = ProtectedRoute(r, mine, myClient);
                return new Plan("unauthenticated", Pick(r, ["anonymous", "bad-key", "bad-bearer"]), route.Method, route.Path, Body(r, valid: true), json, []);
            }

            case 1: // another partner's workspace or client (a PUT would create the caller's own: ids are per partner)
            {
                var route = ProtectedRoute(r, mine, myClient, workspaceOnly: true, creating: false);
                return new Plan("other-partner", "partner-b", route.Method, route.Path, Body(r, valid: true), json, []);
            }

            case 2: // hostile ids and client names on every workspace and client route, and real ones with a newline after them
            {
                var route = r.Next(4) == 0
                    ? ProtectedRoute(r, mine + Pick(r, ["%0A", "%0D%0A"]), myClient + "%0A", workspaceOnly: true)
                    : ProtectedRoute(r, badId, badId, workspaceOnly: true);
                return new Plan("hostile-id", "partner-a", route.Method, route.Path, Body(r, valid: r.Next(2) == 0), json, []);
            }

            case 3: // malformed connection and client bodies
                return r.Next(2) == 0
                    ? new Plan("bad-connection-body", "partner-a", HttpMethod.Put, $"/api/workspaces/{mine}/connection", Body(r, valid: false), json, [])
                    : new Plan("bad-client-body", "partner-a", HttpMethod.Put, $"/api/oauth-clients/{myClient}", ClientBody(r), json, []);
            case 4: // wrong content types and sizes
                return new Plan("bad-content", "partner-a", HttpMethod.Put, $"/api/workspaces/{mine}/connection",
                    r.Next(3) == 0 ? new byte[JsonBody() + r.Next(1, 5000)] : Encoding.UTF8.GetBytes("companyId=1"), Pick(r, ["text/plain", "application/x-www-form-urlencoded", "application/xml", json]), []);
            case 5: // malformed secret rotations
                return new Plan("bad-rotation", "partner-a", HttpMethod.Put, $"/api/oauth-clients/{myClient}/secret", RotationBody(r), json, []);
            case 6: // bad OAuth states
            {
                var state = Uri.EscapeDataString(StateValues[r.Next(StateValues.Length)] + (r.Next(2) == 0 ? Guid.NewGuid().ToString("N") : ""));
                var query = r.Next(3) switch { 0 => $"?state={state}&code=abc", 1 => $"?state={state}&error=access_denied", _ => $"?code={state}" };
                return new Plan("bad-state", "anonymous", HttpMethod.Get, "/api/oauth/callback" + query, null, json, []);
            }

            case 7: // forged webhook deliveries
            {
                var forged = Pick(r, ["Bearer forged", hook.Authorization + "x", hook.Authorization[..^1], "Basic YWRtaW46YWRtaW4=", "", hook.Authorization.ToLowerInvariant()]);
                var target = r.Next(4) == 0 ? badId : mine;
                return new Plan("forged-webhook", "anonymous", HttpMethod.Post, $"/api/webhooks/procore/{target}",
                    Encoding.UTF8.GetBytes($$"""{"id": {{r.Next()}}, "ulid": "01J{{r.Next():D10}}", "resource_name": "Projects", "event_type": "create", "resource_id": {{r.Next()}}}"""),
                    json, [("Authorization", forged)]);
            }

            case 8: // admin routes without the admin role
                return r.Next(3) == 0
                    ? new Plan("not-admin", Pick(r, ["partner-a", "partner-b"]), HttpMethod.Post, "/api/migrations/inline-clients", null, json, [])
                    : new Plan("not-admin", Pick(r, ["partner-a", "partner-b"]), Pick(r, [HttpMethod.Post, HttpMethod.Get, HttpMethod.Delete]),
                        r.Next(2) == 0 ? "/api/partners/partner-a/keys" : "/api/partners/partner-a/keys/0123456789abcdef", Body(r, valid: true), json, []);
            case 9: // bad list parameters
                return new Plan("bad-list", "partner-a", HttpMethod.Get,
                    Pick(r, ["/api/workspaces?", "/api/oauth-clients?"]) + Pick(r, ["pageSize=0", "pageSize=-1", "pageSize=101", "pageSize=1e3", "pageSize=%27", "continuationToken=%%%", "continuationToken=" + Uri.EscapeDataString("' or ''='")]), null, json, []);
            case 10: // bad partner webhook URLs: literal internal addresses, names resolving to them, localhost names
            {
                var (host, _) = Pick(r, HostileFixture.InternalNames);
                return new Plan("bad-partner-webhook", "partner-b", HttpMethod.Put, "/api/partner/webhook",
                    Encoding.UTF8.GetBytes(Pick(r,
                    [
                        """{"url":"http://10.0.0.1/x"}""", """{"url":"https://169.254.169.254/"}""", """{"url":"javascript:alert(1)"}""", """{"url":5}""", """{"url":"https://u:p@evil.example/"}""", "{", """{"uri":"https://x"}""",
                        """{"url":"https://100.64.0.1/"}""", """{"url":"https://168.63.129.16/"}""", """{"url":"https://[64:ff9b::a9fe:a9fe]/"}""", """{"url":"https://localhost./"}""",
                        """{"url":"https://x.localhost/"}""", $$"""{"url":"https://{{host}}/hook"}""", $$"""{"url":"https://{{host.ToUpperInvariant()}}:8443/hook"}""",
                    ])), json, []);
            }

            case 11: // deliveries over the body limit, with the hook's real Authorization value
            {
                var padding = new string('x', JsonBody() + r.Next(1, 5000));
                return new Plan("oversized-delivery", "anonymous", HttpMethod.Post, hook.DeliveryUrl.AbsolutePath,
                    Encoding.UTF8.GetBytes($$"""{"ulid": "01J{{r.Next():D10}}", "resource_name": "Projects", "event_type": "create", "resource_id": 1, "pad": "{{padding}}"}"""),
                    json, [("Authorization", hook.Authorization)]);
            }
            default: // non-JSON host invocations of timers and the queue function, without the host: refused as not the admin's
                return new Plan("bad-invocation", "anonymous", HttpMethod.Post, Pick(r, ["/RefreshTokens", "/CheckConnections", "/PurgeDeletedWorkspaces", "/DeliverEvents", "/RefreshWorkspace"]),
                    Encoding.UTF8.GetBytes(Pick(r, ["{", "not json", "{\"Data\":", "\u0000\u0001"])), json, []);
        }
    }

    private static int JsonBody() => ProcoreConnect.Http.JsonBody.MaxBytes;

    private static (HttpMethod Method, string Path) ProtectedRoute(Random r, string id, string client, bool workspaceOnly = false, bool creating = true)
    {
        var routes = new List<(HttpMethod, string)>
        {
            (HttpMethod.Get, $"/api/workspaces/{id}/connection"), (HttpMethod.Delete, $"/api/workspaces/{id}/connection"),
            (HttpMethod.Get, $"/api/workspaces/{id}/connect"), (HttpMethod.Get, $"/api/workspaces/{id}/token"),
            (HttpMethod.Post, $"/api/workspaces/{id}/validate"), (HttpMethod.Get, $"/api/workspaces/{id}/audit"), (HttpMethod.Get, $"/api/workspaces/{id}/projects"),
            (HttpMethod.Put, $"/api/workspaces/{id}/webhooks/procore"),
            (HttpMethod.Get, $"/api/oauth-clients/{client}"), (HttpMethod.Delete, $"/api/oauth-clients/{client}"), (HttpMethod.Put, $"/api/oauth-clients/{client}/secret"),
            (HttpMethod.Get, $"/api/oauth-clients/{client}/companies?environment=sandbox"), (HttpMethod.Post, $"/api/oauth-clients/{client}/companies"),
        };
        if (creating)
        {
            routes.AddRange([(HttpMethod.Put, $"/api/workspaces/{id}/connection"), (HttpMethod.Put, $"/api/oauth-clients/{client}")]);
        }

        if (!workspaceOnly)
        {
            routes.AddRange([(HttpMethod.Get, "/api/workspaces"), (HttpMethod.Get, "/api/oauth-clients"), (HttpMethod.Put, "/api/partner/webhook"), (HttpMethod.Get, "/api/partner/events"), (HttpMethod.Delete, "/api/partner/webhook")]);
        }

        return routes[r.Next(routes.Count)];
    }

    private static byte[] Body(Random r, bool valid)
    {
        if (valid)
        {
            return Encoding.UTF8.GetBytes(r.Next(2) == 0
                ? $$"""{"companyId":{{r.Next(1, 100000)}},"environment":"sandbox","oauthClient":"test-app"}"""
                : $$"""{"authFlow":"client_credentials","clientId":"c{{r.Next()}}","clientSecret":"stolen-{{r.Next()}}"}""");
        }

        string[] broken =
        [
            "{", "}", "[]", "null", "true", "\"str\"", "{\"companyId\":", "{\"companyId\": 1,}", "{'companyId': 1}",
            """{"companyId":"1001","environment":"sandbox","oauthClient":"test-app"}""",
            """{"companyId":1,"environment":"sandbox","oauthClient":"Test App"}""",
            """{"companyId":1,"environment":"sandbox","oauthClient":"no-such-client"}""",
            """{"companyId":1,"environment":"sandbox","oauthClient":"test-app","clientSecret":"s"}""",
            """{"companyId":"1001","environment":"sandbox","authFlow":"client_credentials","clientId":"c","clientSecret":"s"}""",
            """{"companyId":-1,"environment":"sandbox","authFlow":"client_credentials","clientId":"c","clientSecret":"s"}""",
            """{"companyId":1,"environment":"Sandbox","authFlow":"client_credentials","clientId":"c","clientSecret":"s"}""",
            """{"companyId":1,"environment":"sandbox","authFlow":"implicit","clientId":"c","clientSecret":"s"}""",
            """{"companyId":1,"environment":"sandbox","authFlow":"client_credentials","clientId":"has space","clientSecret":"s"}""",
            """{"companyId":1,"environment":"sandbox","authFlow":"client_credentials","clientId":"c","clientSecret":"s","extra":1}""",
            """{"companyId":1,"environment":"sandbox","authFlow":"client_credentials","clientId":"c","clientSecret":"s","redirectUri":"https://x/cb"}""",
            """{"companyId":1e400}""", """{"companyId":9223372036854775808}""", """{"companyId":{"$gt":0}}""", """{"__proto__":{"admin":true}}""",
            new string('[', 5000) + new string(']', 5000),
            "{\"clientId\":\"" + new string('x', 300) + "\",\"companyId\":1,\"environment\":\"sandbox\",\"authFlow\":\"client_credentials\"}",
            "{\"companyId\":1,\"environment\":\"sandbox\u0000\",\"authFlow\":\"client_credentials\",\"clientId\":\"c\",\"clientSecret\":\"s\"}",
            "\uFEFF{\"companyId\":0}",
        ];
        return Encoding.UTF8.GetBytes(broken[r.Next(broken.Length)]);
    }

    private static byte[] ClientBody(Random r) => Encoding.UTF8.GetBytes(Pick(r,
    [
        "{", "[]", "null", """{"authFlow":"implicit","clientId":"c"}""", """{"authFlow":"client_credentials"}""", """{"authFlow":"client_credentials","clientId":"has space"}""",
        """{"authFlow":"client_credentials","clientId":"c","redirectUri":"https://x/cb"}""", """{"authFlow":"authorization_code","clientId":"c","redirectUri":"javascript:alert(1)"}""",
        """{"authFlow":"authorization_code","clientId":"c","clientSecret":""}""", """{"authFlow":"authorization_code","clientId":"c","displayName":"a\u0000b"}""",
        """{"authFlow":"authorization_code","clientId":"c","public":true}""", "{\"authFlow\":\"client_credentials\",\"clientId\":\"" + new string('x', 300) + "\"}",
        """{"authFlow":"nope","clientId":"c"}""",
    ]));

    private static byte[] RotationBody(Random r) => Encoding.UTF8.GetBytes(Pick(r,
    [
        "{", "{}", "[]", "null", """{"clientSecret":""}""", """{"clientSecret":5}""", """{"clientSecret":"has space"}""", """{"clientSecret":"x","other":1}""",
        "{\"clientSecret\":\"" + new string('s', 600) + "\"}", """{"clientSecretExpiresAt":"not a date","clientSecret":"x"}""",
    ]));

    private static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];

    private static HttpClient WithHeader(HttpClient client, string name, string value)
    {
        client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        return client;
    }

    private async Task<List<string>> SecretsOfAsync(IEnumerable<string> ids)
    {
        var values = new List<string>();
        var store = fixture.App.Service<ISecretStore>();
        foreach (var id in ids)
        {
            var workspace = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;
            var client = (await fixture.App.Service<ProcoreConnect.Clients.OAuthClientRepository>().FindAsync(workspace.Client, default))!;
            values.Add(await store.GetAsync(client.ClientSecret, default));
            if (workspace.Tokens is { } tokens)
            {
                var stored = TokenSecret.Parse(await store.GetAsync(tokens, default));
                values.AddRange(new[] { stored.AccessToken, stored.RefreshToken }.OfType<string>());
            }
        }

        return values;
    }

    /// <summary>Every row of every table of this app: partition, row and ETag.</summary>
    private async Task<List<string>> SnapshotAsync()
    {
        var prefix = fixture.App.Service<IOptions<StorageOptions>>().Value.TablePrefix;
        var service = fixture.App.Service<TableStore>().Service;
        var rows = new List<string>();
        await foreach (var table in service.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                rows.Add($"{table.Name}/{row.PartitionKey}/{row.RowKey}/{row.ETag}");
            }
        }

        return rows;
    }
}
