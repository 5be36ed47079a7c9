using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary><c>/api/workspaces/{id}/procore/{path}</c>: Procore called as the workspace, over a real socket, against the simulator.</summary>
public sealed class ProcoreProxyTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private HttpClient Client => fixture.Client;

    private static string Proxy(string id, string path) => $"/api/workspaces/{id}/procore/{path}";

    private async Task<string> TokenAsync(string id) => (await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>()).AccessToken;

    [Fact]
    public async Task A_call_goes_to_the_environments_api_with_the_workspaces_token_and_company_and_none_of_the_partners_credentials()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var token = await TokenAsync(id);
        using var request = new HttpRequestMessage(HttpMethod.Get, Proxy(id, "rest/v1.0/echo/a/b?company_id=1001&page=2"));
        request.Headers.TryAddWithoutValidation("Cookie", "session=partner-cookie");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic cGFydG5lcjpzZWNyZXQ=");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Original-Host", "evil.example.com");
        request.Headers.TryAddWithoutValidation("Procore-Company-Id", "9999");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"v1\"");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await response.ReadJsonAsync();
        Assert.Equal("/rest/v1.0/echo/a/b?company_id=1001&page=2", echo.GetProperty("target").GetString());
        var sent = echo.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("Bearer " + token, sent["Authorization"]);
        Assert.Equal("1001", sent["Procore-Company-Id"]);
        Assert.Equal("application/json", sent["Accept"]);
        Assert.Equal("\"v1\"", sent["If-None-Match"]);
        Assert.Equal(fixture.Simulator.BaseUrl.Authority, sent["Host"]);
        foreach (var dropped in new[] { ApiKeyAuthenticationHandler.Header, "Cookie", "Proxy-Authorization", "X-Forwarded-For", "X-Original-Host" })
        {
            Assert.False(sent.ContainsKey(dropped), $"{dropped} reached Procore.");
        }

        // Procore's answer comes back without its cookie and its hop-by-hop header.
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.False(response.Headers.Contains("X-Simulator-Hop"));
        Assert.True(response.Headers.Contains("X-Rate-Limit-Remaining"));
        Assert.True(response.Headers.Contains("X-Request-Id"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task A_call_without_a_body_refused_with_401_is_sent_again_after_the_refresh_on_a_real_server(string method)
    {
        // On a socket the request body cannot be rewound (the in-process test server's can), so a
        // retry must not try to when there is nothing to send again.
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.State.EndAccessToken(await TokenAsync(id));
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), Proxy(id, "rest/v1.0/echo/again")));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_partner_cannot_reach_another_partners_workspace_through_the_proxy()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        using var other = new HttpClient { BaseAddress = fixture.BaseAddress };
        other.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, fixture.App.PartnerKey("partner-b"));
        var before = fixture.Simulator.Received.Received.Count;

        var response = await other.GetAsync(Proxy(id, "rest/v1.0/echo/me"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, fixture.Simulator.Received.Received.Count);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(id, "rest/v1.0/echo/me"))).StatusCode);
    }

    [Theory]
    [InlineData("rest/v1.0/../../oauth/token")]
    [InlineData("rest/v1.0/echo/../../../oauth/token")]
    [InlineData("rest/./v1.0/echo/x")]
    [InlineData("rest/%2e%2e/oauth/token")]
    [InlineData("rest/%2E%2E/oauth/token")]
    [InlineData("rest/.%2e/oauth/token")]
    [InlineData("rest%2fv1.0/echo/x")]
    [InlineData("rest/v1.0%2Fecho/x")]
    [InlineData("rest\\v1.0\\echo\\x")]
    [InlineData("rest/v1.0/echo%5cx")]
    [InlineData("rest/%252e%252e/oauth/token")]
    [InlineData("rest/v1.0/echo/x%00")]
    [InlineData("rest/v1.0/echo/x?a=%00")]
    [InlineData("rest//v1.0/echo/x")]
    [InlineData("https://evil.example.com/rest/v1.0/echo/x")]
    [InlineData("//evil.example.com/rest/v1.0/echo/x")]
    [InlineData("@evil.example.com/rest/v1.0/echo/x")]
    [InlineData("oauth/token")]
    [InlineData("_simulator/stats")]
    [InlineData("")]
    [InlineData("../../../_simulator/stats")]
    public async Task A_path_that_is_not_plainly_a_procore_api_path_is_refused_and_nothing_is_sent(string path)
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = fixture.Simulator.Received.Received.Count;

        var status = await RawHttp.SendAsync(fixture.BaseAddress, "GET", "/api/workspaces/" + id + "/procore/" + path, PartnerHeaders());

        // 400 from the proxy or the server; a path that climbed out of the route is another route's 404.
        Assert.True(status is 400 or 404, $"{path}: {status}");
        Assert.Equal(before, fixture.Simulator.Received.Received.Count);
    }

    [Theory]
    [InlineData("rest/..;/oauth/token")]
    [InlineData("rest/v1.0/..;x=1/..;/oauth/token")]
    [InlineData("rest/.;/v1.0/echo/x")]
    [InlineData("rest/..%3b/oauth/token")]
    [InlineData("rest/v1.0/echo/%c0%ae%c0%ae/oauth/token")]
    [InlineData("rest/v1.0/echo/%e0%80%ae")]
    [InlineData("rest/v1.0/echo/%80x")]
    [InlineData("rest/v1.0/echo/a%bf")]
    [InlineData("rest/v1.0/echo/%c3")]
    public async Task A_dot_segment_with_a_parameter_or_an_invalid_utf8_encoding_is_refused_naming_path_and_nothing_is_sent(string path)
    {
        // Tomcat-style upstreams drop ';' parameters before resolving dots; lenient decoders read %c0%ae as '.'.
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = fixture.Simulator.Received.Received.Count;

        var (status, answer) = await RawHttp.ExchangeAsync(fixture.BaseAddress, "GET", Proxy(id, path), PartnerHeaders());

        Assert.True(status == 400, $"{path}: {status} {answer}");
        Assert.Contains("\"path\"", answer, StringComparison.Ordinal);
        Assert.Equal(before, fixture.Simulator.Received.Received.Count);
    }

    [Fact]
    public async Task A_path_parameter_and_valid_utf8_still_pass()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);

        Assert.Equal(200, await RawHttp.SendAsync(fixture.BaseAddress, "GET", Proxy(id, "rest/v1.0/echo/caf%C3%A9;v=1/..x"), PartnerHeaders()));
    }

    [Fact]
    public async Task An_absolute_form_request_target_naming_another_host_is_refused()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = fixture.Simulator.Received.Received.Count;

        var status = await RawHttp.SendAsync(fixture.BaseAddress, "GET", $"http://evil.example.com/api/workspaces/{id}/procore/rest/v1.0/echo/x", PartnerHeaders());

        Assert.True(status is 400 or 404, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(before, fixture.Simulator.Received.Received.Count);
    }

    [Fact]
    public async Task Every_call_the_proxy_sends_goes_to_the_configured_api_host_under_rest_or_vapid()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.Received.Clear();
        string[] paths = ["rest/v1.0/echo/x", "vapid/echo/y", "rest/v1.0/echo/@evil.example.com", "rest/v1.0/echo/http:", "rest/v1.0/echo/a:b@evil.example.com:80",
            "rest/v1.0/echo/x?url=http://evil.example.com/", "rest/v1.0/echo/%40evil", "vapid/echo/%3A%2A"];

        foreach (var path in paths)
        {
            Assert.Equal(200, await RawHttp.SendAsync(fixture.BaseAddress, "GET", Proxy(id, path), PartnerHeaders()));
        }

        var received = fixture.Simulator.Received.Received;
        Assert.Equal(paths.Length, received.Count);
        Assert.All(received, r => Assert.Equal(fixture.Simulator.BaseUrl.Authority, r.Host));
        Assert.All(received, r => Assert.True(r.Target.StartsWith("/rest/v1.0/echo/", StringComparison.Ordinal) || r.Target.StartsWith("/vapid/echo/", StringComparison.Ordinal), r.Target));
    }

    [Fact]
    public async Task A_write_and_a_large_download_stream_through()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var body = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);

        var upload = await Client.PostAsync(Proxy(id, "rest/v1.0/uploads"), new ByteArrayContent(body));
        var download = await Client.GetAsync(Proxy(id, "rest/v1.0/downloads/20000000"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var written = await upload.ReadJsonAsync();
        Assert.Equal(body.Length, written.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), written.GetProperty("sha256").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(20_000_000, download.Content.Headers.ContentLength);
        await using var stream = await download.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        Assert.Equal(20_000_000, total);
    }

    [Fact]
    public async Task Procores_503_comes_back_with_its_retry_after()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.State.SetFaults(new SimulatorFaults { ApiFailures = [503], ApiRetryAfterSeconds = 9 });
        try
        {
            var response = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/x"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(9), response.Headers.RetryAfter?.Delta);
            Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(id, "rest/v1.0/echo/x"))).StatusCode);
        }
        finally
        {
            fixture.Simulator.State.SetFaults(new SimulatorFaults());
        }
    }

    [Fact]
    public async Task Once_procore_says_no_requests_are_left_the_service_answers_429_itself_until_the_reset()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        // The hourly window is the nearer one, and one call is left after the next.
        fixture.Simulator.State.SetFaults(new SimulatorFaults { SpikeLimitPer10Seconds = 1_000_000 });
        try
        {
            var first = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/1"));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var used = 3600 - int.Parse(first.Headers.GetValues("X-Rate-Limit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);
            fixture.Simulator.State.SetFaults(new SimulatorFaults { SpikeLimitPer10Seconds = 1_000_000, RateLimitPerHour = used + 1 });
            var last = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/2"));
            Assert.Equal("0", last.Headers.GetValues("X-Rate-Limit-Remaining").Single());
            var calls = (await fixture.Simulator.StatsAsync()).ApiRequests;

            var refused = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/3"));

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.Equal("procore_rate_limited", (await refused.ReadJsonAsync()).GetProperty("code").GetString());
            Assert.Equal(calls, (await fixture.Simulator.StatsAsync()).ApiRequests);
        }
        finally
        {
            fixture.Simulator.State.SetFaults(new SimulatorFaults());
        }
    }

    [Fact]
    public async Task A_workspace_not_connected_gets_the_token_apis_answer_and_nothing_is_sent()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        var before = fixture.Simulator.Received.Received.Count;

        var response = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/x"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("not_connected", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(before, fixture.Simulator.Received.Received.Count);
    }

    [Fact]
    public async Task A_federal_dmsa_workspace_calls_the_federal_api_with_its_own_company()
    {
        var account = fixture.Simulator.Register(true, 1001, 1002);
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials", companyId: 1002, environment: "federal");

        var response = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = (await response.ReadJsonAsync()).GetProperty("headers");
        Assert.Equal("1002", sent.GetProperty("Procore-Company-Id").GetString());
    }

    [Fact]
    public async Task A_workspace_named_procore_calls_procore_and_a_procore_segment_in_the_path_is_kept()
    {
        // The Procore path is where the route puts it, not after the first "/procore/" of the target.
        var account = fixture.Simulator.Register(true, 1001);
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials", id: "procore");

        var response = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/procore/x?procore=1"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("/rest/v1.0/echo/procore/x?procore=1", (await response.ReadJsonAsync()).GetProperty("target").GetString());
    }

    [Theory]
    [InlineData("rest/v1.0/projects?company_id=1002")]
    [InlineData("rest/v1.0/projects?COMPANY_ID=1002")]
    [InlineData("rest/v1.0/projects?Company%5Fid=1002")]
    [InlineData("rest/v1.0/projects?company_id=%31002")]
    [InlineData("rest/v1.0/projects?company_id=1001&company_id=1002")]
    [InlineData("rest/v1.0/projects?company_id[]=1002")]
    [InlineData("rest/v1.0/projects?company_id%5B%5D=1002")]
    [InlineData("rest/v1.0/projects?page=1;company_id=1002")]
    [InlineData("rest/v1.0/projects?company_id")]
    [InlineData("rest/v1.0/projects?[company_id]=1002")]
    [InlineData("rest/v1.0/projects?]company_id=1002")]
    [InlineData("rest/v1.0/projects?company_id]=1002")]
    [InlineData("rest/v1.0/projects?[]company_id=1002")]
    [InlineData("rest/v1.0/companies/1002/projects")]
    [InlineData("rest/v1.0/Companies/1002.json")]
    [InlineData("rest/v2.0/companies/%31002/projects")]
    [InlineData("rest/v1.0/companies/1002;x/projects")]
    [InlineData("vapid/companies/1002")]
    public async Task A_call_naming_another_company_is_refused_with_403_naming_the_workspaces_company_and_nothing_is_sent(string path)
    {
        // One token reaches every company that installed the app: only what the call names keeps it to the workspace's.
        var account = fixture.Simulator.Register(true, 1001, 1002);
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(id, "rest/v1.0/echo/warm"))).StatusCode);
        var before = fixture.Simulator.Received.Received.Count;

        var (status, answer) = await RawHttp.ExchangeAsync(fixture.BaseAddress, "GET", Proxy(id, path), PartnerHeaders());

        Assert.True(status == 403, $"{path}: {status} {answer}");
        Assert.Contains("\"code\":\"company_mismatch\"", answer, StringComparison.Ordinal);
        Assert.Contains("\"companyId\":1001", answer, StringComparison.Ordinal);
        Assert.Equal(before, fixture.Simulator.Received.Received.Count);
    }

    [Theory]
    [InlineData("rest/v1.0/projects?company_id=1001")]
    [InlineData("rest/v1.0/echo/companies/1001/x?company_id=1001&Company_Id=1001&companyid=1002")]
    [InlineData("rest/v1.0/echo/companies/1001.json")]
    [InlineData("rest/v1.0/companies")]
    public async Task A_call_naming_only_the_workspaces_own_company_passes(string path)
    {
        var account = fixture.Simulator.Register(true, 1001, 1002);
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");

        var (status, answer) = await RawHttp.ExchangeAsync(fixture.BaseAddress, "GET", Proxy(id, path), PartnerHeaders());

        Assert.True(status == 200, $"{path}: {status} {answer}");
    }

    [Fact]
    public async Task The_partners_trace_context_does_not_reach_procore()
    {
        // A third party should not learn the partner's trace ids, nor ours.
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, Proxy(id, "rest/v1.0/echo/traced"));
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        request.Headers.TryAddWithoutValidation("tracestate", "partner=secret-state");
        request.Headers.TryAddWithoutValidation("baggage", "partner.user=alice");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = (await response.ReadJsonAsync()).GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString() ?? "", StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[] { "traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context" })
        {
            Assert.False(sent.ContainsKey(name), $"{name}: {sent.GetValueOrDefault(name)} reached Procore.");
        }

        Assert.DoesNotContain(sent.Values, v => v.Contains(TraceId, StringComparison.Ordinal) || v.Contains("alice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/rest/v1.0/echo/moved?page=2")]
    [InlineData("{api}rest/v1.0/echo/moved?page=2")]
    public async Task A_redirect_within_the_api_is_pointed_back_at_the_proxy_and_following_it_stays_there(string to)
    {
        // Followed as it came, the partner's client would send its X-Api-Key to Procore's host.
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var location = to.Replace("{api}", fixture.Simulator.BaseUrl.ToString(), StringComparison.Ordinal);

        var response = await Client.GetAsync(Proxy(id, "rest/v1.0/redirect?to=" + Uri.EscapeDataString(location)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/api/workspaces/{id}/procore/rest/v1.0/echo/moved?page=2", response.Headers.Location?.OriginalString);
        var followed = await Client.GetAsync(new Uri(fixture.BaseAddress, response.Headers.Location!));
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.Equal("/rest/v1.0/echo/moved?page=2", (await followed.ReadJsonAsync()).GetProperty("target").GetString());
    }

    [Fact]
    public async Task A_redirect_to_another_host_comes_back_as_it_is()
    {
        // A download's pre-signed file store URL: the partner follows it without its credentials (docs/api.md).
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        const string Elsewhere = "https://files.example.com/bucket/file.pdf?X-Amz-Signature=abc";

        var response = await Client.GetAsync(Proxy(id, "rest/v1.0/redirect?to=" + Uri.EscapeDataString(Elsewhere)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Elsewhere, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_upload_above_kestrels_default_body_limit_streams_through()
    {
        // Kestrel's default is 30,000,000 bytes; the route takes what the Functions host does.
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        const long Length = 31L * 1024 * 1024;
        using var content = new StreamContent(new PatternStream(Length));
        content.Headers.ContentLength = Length;
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var upload = await Client.PostAsync(Proxy(id, "rest/v1.0/uploads"), content);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(upload.StatusCode == HttpStatusCode.Created, $"{(int)upload.StatusCode}: {await upload.Content.ReadAsStringAsync()}");
        var written = await upload.ReadJsonAsync();
        Assert.Equal(Length, written.GetProperty("bytes").GetInt64());
        Assert.Equal(PatternStream.Sha256(Length), written.GetProperty("sha256").GetString());
        // Streamed, not held: the whole process (client, app, simulator) allocated less than the body.
        Assert.True(allocated < Length, $"{allocated} bytes allocated for a {Length}-byte upload.");
    }

    // Bytes made as they are read, so that the test itself holds no body either.
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public static string Sha256(long length)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var stream = new PatternStream(length);
            var buffer = new byte[81920];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer.AsSpan(0, read));
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[i] = (byte)((_position + i) % 251);
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_header_procore_cannot_be_sent_is_refused_naming_it_and_nothing_is_sent()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = fixture.Simulator.Received.Received.Count;
        var headers = PartnerHeaders();
        headers["Accept"] = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("text/ō")); // UTF-8 on the wire

        var (status, text) = await RawHttp.ExchangeAsync(fixture.BaseAddress, "GET", $"/api/workspaces/{id}/procore/rest/v1.0/echo/x", headers);

        Assert.True(status == 400, $"{status}: {text}");
        Assert.Contains("\"Accept\"", text, StringComparison.Ordinal);
        Assert.Equal(before, fixture.Simulator.Received.Received.Count);
    }

    private Dictionary<string, string> PartnerHeaders() => new() { [ApiKeyAuthenticationHandler.Header] = fixture.App.PartnerKey(AppFactory.DefaultPartner) };
}
