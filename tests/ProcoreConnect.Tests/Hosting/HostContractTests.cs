using System.Net;
using System.Text.Json.Nodes;
using ProcoreConnect.Clients;
using ProcoreConnect.Hosting;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Hosting;

/// <summary>
/// The app started as the Functions host starts it: with the environment the host's Linux image and
/// the host give it (as configuration, in-process), listening on Kestrel on the port the host put
/// in FUNCTIONS_CUSTOMHANDLER_PORT, polled on <c>GET /</c> from the moment it starts, then reached
/// only through <see cref="FunctionsHost"/>.
/// </summary>
public sealed class HostedAppFixture : KestrelAppFixture
{
    private Task<(HttpResponseMessage? Answer, DateTimeOffset At)>? _polling;
    private DateTimeOffset _startedAt;

    public FunctionsHost Host { get; private set; } = null!;

    /// <summary>The handler's first answer to the host's readiness poll, and how long after the start it came.</summary>
    public (HttpResponseMessage? Answer, TimeSpan After) Readiness { get; private set; }

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = base.ExtraSettings;
            foreach (var (key, value) in HostImage.AsConfiguration(Host.HandlerEnvironment(AppContext.BaseDirectory)))
            {
                settings[key] = value;
            }

            settings["Service:PublicBaseUrl"] = $"https://{IncomingRequest.PublicHost}";
            return settings;
        }
    }

    public override async Task InitializeAsync()
    {
        Host = new FunctionsHost(Port);
        await base.InitializeAsync();
        var (answer, at) = await _polling!;
        Readiness = (answer, at - _startedAt);
    }

    public override async Task DisposeAsync()
    {
        Host.Dispose();
        await base.DisposeAsync();
    }

    protected override HttpClient Start(AppFactory app)
    {
        _startedAt = DateTimeOffset.UtcNow;
        _polling = Host.WaitUntilReadyAsync();
        return base.Start(app);
    }
}

/// <summary>
/// The custom-handler contract as the host's source defines it (docs/architecture.md, "The
/// Functions host contract").
/// </summary>
public sealed class HostContractTests(HostedAppFixture fixture) : IClassFixture<HostedAppFixture>
{
    private FunctionsHost Host => fixture.Host;

    private string Key => fixture.App.PartnerKey(AppFactory.DefaultPartner);

    public static TheoryData<string> Timers => [.. AppEndpoints.Functions.Where(f => f.Trigger == FunctionTrigger.Timer).Select(f => f.Name)];

    [Fact]
    public async Task The_handler_answers_the_hosts_readiness_poll_on_GET_root_well_within_30_seconds_without_credentials()
    {
        Assert.NotNull(fixture.Readiness.Answer);
        Assert.Equal(HttpStatusCode.OK, fixture.Readiness.Answer.StatusCode);
        Assert.True(fixture.Readiness.After < TimeSpan.FromSeconds(30), $"first answer after {fixture.Readiness.After}");

        // Later pings (PingAsync) reach the same path and are answered the same way.
        var (again, _) = await Host.WaitUntilReadyAsync();
        Assert.Equal(HttpStatusCode.OK, again!.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Timers))]
    public async Task Every_timer_accepts_the_hosts_chunked_invocation_and_answers_what_the_host_reads(string function)
    {
        var now = DateTimeOffset.UtcNow;
        var result = await Host.InvokeAsync(function, FunctionsHost.TimerData(isPastDue: true, now), new JsonObject { ["sys"] = FunctionsHost.Sys(function, now) });

        Assert.True(result.Succeeded, $"{function}: {result.Status}");
        Assert.Contains($"{function} completed", result.Result!.Logs!);
        Assert.Empty(result.Result.Outputs!);
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains($"Function {function} invoked by the Functions host, invocation {Host.InvocationIds[^1]}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_queue_function_reads_the_hosts_double_encoded_message_and_string_metadata()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        var workspaces = fixture.App.Service<WorkspaceRepository>();
        var before = (await workspaces.FindAsync(id, default))!;
        var queue = AppEndpoints.Functions.Single(f => f.Name == "RefreshWorkspace");
        var bindingName = (string)FunctionJsonWriter.Build(queue)["bindings"]![0]!["name"]!;

        var data = FunctionsHost.QueueData(bindingName, RefreshQueueClient.MessageText(before.Due()));
        var result = await Host.InvokeAsync(queue.Name, data, FunctionsHost.QueueMetadata(queue.Name, dequeueCount: 2, DateTimeOffset.UtcNow));

        // As the host sends it: a JSON string whose text is a JSON string whose text is the message.
        Assert.Equal(System.Text.Json.JsonValueKind.String, System.Text.Json.JsonDocument.Parse((string)data[bindingName]!).RootElement.ValueKind);
        Assert.True(result.Succeeded, result.Status.ToString());
        Assert.NotEqual(before.Tokens, (await workspaces.FindAsync(id, default))!.Tokens);
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains($"Function {queue.Name} invoked by the Functions host, invocation {Host.InvocationIds[^1]}, delivery 2", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains("Dropping a malformed refresh message", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_poison_queue_function_reads_the_message_the_host_moved_there_and_marks_its_refresh_failing()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var workspaces = fixture.App.Service<WorkspaceRepository>();
        var due = (await workspaces.FindAsync(id, default))!.Due();
        var poisoned = AppEndpoints.Functions.Single(f => f.Name == "RefreshPoisoned");
        var binding = FunctionJsonWriter.Build(poisoned)["bindings"]![0]!;
        Assert.Equal("%Refresh__QueueName%-poison", (string?)binding["queueName"]);

        // The host copies the message's body to "{queue}-poison" as it was, so it arrives as the original did.
        var data = FunctionsHost.QueueData((string)binding["name"]!, RefreshQueueClient.MessageText([due]));
        var result = await Host.InvokeAsync(poisoned.Name, data, FunctionsHost.QueueMetadata(poisoned.Name, dequeueCount: 1, DateTimeOffset.UtcNow));

        Assert.True(result.Succeeded, result.Status.ToString());
        var marked = (await workspaces.FindAsync(id, default))!;
        Assert.Equal(ConnectionHealth.RefreshFailing, marked.Health.BrokenReason);
        Assert.Contains("gave up", marked.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forwarded_request_keeps_its_path_query_headers_and_Content_Length_body()
    {
        var id = Connections.NewId();
        var created = await Host.ForwardAsync(IncomingRequest.Json("PUT", $"/api/workspaces/{id}/connection", Connections.Valid(), ("X-Api-Key", Key)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var listed = await Host.ForwardAsync(IncomingRequest.Empty("GET", "/api/workspaces?pageSize=100", ("X-Api-Key", Key)));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains(id, await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_key_sent_twice_arrives_as_one_comma_joined_value_and_is_refused()
    {
        var once = await Host.ForwardAsync(IncomingRequest.Empty("GET", "/api/workspaces?pageSize=10", ("X-Api-Key", Key)));
        Assert.Equal(HttpStatusCode.OK, once.StatusCode);

        var twice = await Host.ForwardAsync(IncomingRequest.Empty("GET", "/api/workspaces?pageSize=10&pageSize=20", ("X-Api-Key", Key)));
        await AssertProblemAsync(twice, "pageSize");
    }

    [Fact]
    public async Task The_function_key_is_forwarded_but_is_no_credential_and_never_reaches_a_log_line()
    {
        var functionKey = "fk" + Guid.NewGuid().ToString("N");

        var withApiKey = await Host.ForwardAsync(IncomingRequest.Empty("GET", $"/api/workspaces?code={functionKey}", ("x-functions-key", functionKey), ("X-Api-Key", Key)));
        Assert.Equal(HttpStatusCode.OK, withApiKey.StatusCode);
        var onlyFunctionKey = await Host.ForwardAsync(IncomingRequest.Empty("GET", $"/api/workspaces?code={functionKey}", ("x-functions-key", functionKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, onlyFunctionKey.StatusCode);

        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains("Refused GET /api/workspaces for anonymous: 401", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(functionKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_sent_without_Content_Length_never_reaches_the_app()
    {
        var id = Connections.NewId();

        // HTTP/1.1 chunked: the host copies "Transfer-Encoding: chunked" onto a request it gave no
        // content, and its HttpClient refuses to send that, so the invocation fails in the host.
        var chunked = await Assert.ThrowsAsync<HttpRequestException>(() =>
            Host.ForwardAsync(IncomingRequest.Chunked("PUT", $"/api/workspaces/{id}/connection", Connections.Valid(), ("X-Api-Key", Key))));
        Assert.Contains("chunked", chunked.InnerException!.Message, StringComparison.Ordinal);

        // HTTP/2 (no length, no Transfer-Encoding): forwarded without the body or its Content-Type.
        var streamed = await Host.ForwardAsync(IncomingRequest.Streamed("PUT", $"/api/workspaces/{id}/connection", Connections.Valid(), ("X-Api-Key", Key)));
        await AssertProblemAsync(streamed, "body");

        var read = await Host.ForwardAsync(IncomingRequest.Empty("GET", $"/api/workspaces/{id}/connection", ("X-Api-Key", Key)));
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task A_url_the_app_hands_out_is_the_configured_public_one_never_the_requests_scheme_or_host()
    {
        var id = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await Host.ForwardAsync(IncomingRequest.Json("PUT", $"/api/workspaces/{id}/connection", Connections.Valid(), ("X-Api-Key", Key)))).StatusCode);
        var key = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Key;

        // The host's hop is http on loopback; a caller may also pick its own Host header.
        var configured = await Host.ForwardAsync(IncomingRequest.Empty("PUT", $"/api/workspaces/{id}/webhooks/procore", ("X-Api-Key", Key)));
        var forged = await Host.ForwardAsync(IncomingRequest.Empty("PUT", $"/api/workspaces/{id}/webhooks/procore", ("X-Api-Key", Key)) with
        {
            Headers = [("Host", "attacker.example:8443"), ("X-Api-Key", Key), ("X-Forwarded-Host", "attacker.example")],
        });

        foreach (var response in new[] { configured, forged })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"https://{IncomingRequest.PublicHost}/api/webhooks/procore/{key}", (await response.ReadJsonAsync()).GetProperty("deliveryUrl").GetString());
        }

        var connect = await Host.ForwardAsync(IncomingRequest.Empty("GET", $"/api/workspaces/{id}/connect") with
        {
            Headers = [("Host", "attacker.example"), ("X-Api-Key", Key)],
        });
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        var link = connect.Headers.Location!;
        Assert.StartsWith($"https://{IncomingRequest.PublicHost}/api/connect/", link.ToString(), StringComparison.Ordinal);
        var press = await Host.ForwardAsync(IncomingRequest.Empty("POST", link.AbsolutePath) with { Headers = [("Host", "attacker.example")] });
        Assert.Equal(HttpStatusCode.SeeOther, press.StatusCode);
        var redirect = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(press.Headers.Location!.Query)["redirect_uri"].ToString();
        Assert.Equal($"https://{IncomingRequest.PublicHost}/api/oauth/callback", redirect);
    }

    [Fact]
    public async Task A_redirect_goes_back_to_the_caller_unfollowed()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());

        var connect = await Host.ForwardAsync(IncomingRequest.Empty("GET", $"/api/workspaces/{id}/connect", ("X-Api-Key", Key)));

        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        Assert.StartsWith($"https://{IncomingRequest.PublicHost}/api/connect/", connect.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for '{field}', got {errors}");
    }
}

public sealed class PublicUrlOptionsTests
{
    [Theory]
    [InlineData("http://procore-connect.example.com")]
    [InlineData("https://procore-connect.example.com/?x=1")]
    [InlineData("https://user:pass@procore-connect.example.com")]
    [InlineData("ftp://procore-connect.example.com")]
    public void A_public_base_url_that_is_not_https_or_carries_more_than_an_origin_and_path_stops_the_app_from_starting(string url)
    {
        Assert.Contains("Service:PublicBaseUrl must be an absolute https URL", AppFactory.StartFailure("Service:PublicBaseUrl", url), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Service:PublicBaseUrl", "")]
    [InlineData("Service:PublicBaseUrl", "  ")]
    [InlineData("Procore:Sandbox:LoginBaseUrl", "")]
    [InlineData("Procore:Production:ApiBaseUrl", "")]
    public void A_setting_present_but_empty_stops_the_app_from_starting_instead_of_falling_back_to_its_default(string key, string value)
    {
        // The generated binder keeps the default for an empty value: a loopback public URL, or Procore's own hosts.
        Assert.Contains($"{key} is set but empty", AppFactory.StartFailure(key, value), StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_base_url_configured_as_null_is_refused_with_its_name_not_a_crash()
    {
        var failure = new ProcoreConnect.Hosting.PublicUrlOptionsValidator().Validate(null, new ProcoreConnect.Hosting.PublicUrlOptions { PublicBaseUrl = null! });
        Assert.True(failure.Failed);
        Assert.Contains("Service:PublicBaseUrl must be an absolute https URL", failure.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://procore-connect.example.com", "https://procore-connect.example.com/api/oauth/callback")]
    [InlineData("https://gateway.example.com/procore", "https://gateway.example.com/procore/api/oauth/callback")]
    [InlineData("http://127.0.0.1:7071", "http://127.0.0.1:7071/api/oauth/callback")]
    public void The_callback_is_built_from_the_public_base_url(string baseUrl, string callback) =>
        Assert.Equal(new Uri(callback), new ProcoreConnect.Hosting.PublicUrls(
            Microsoft.Extensions.Options.Options.Create(new ProcoreConnect.Hosting.PublicUrlOptions { PublicBaseUrl = new Uri(baseUrl) })).Callback);
}
