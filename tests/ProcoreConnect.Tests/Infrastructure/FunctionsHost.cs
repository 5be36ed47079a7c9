using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// A test double of the Functions host's side of the custom-handler contract, written from the
/// host's source (Azure/azure-functions-host at 89dc438d, src/WebJobs.Script/Workers/Http/
/// DefaultHttpWorkerService.cs and what it calls). It reaches the handler as the host does: plain
/// HTTP to 127.0.0.1 on the port it gave the handler, with an HttpClient that keeps no cookies and,
/// with forwarding on, follows no redirects (CreateHttpClient); and it starts the handler with the
/// environment the host's Linux image and the host itself give it (<see cref="HandlerEnvironment"/>).
/// </summary>
public sealed class FunctionsHost : IDisposable
{
    /// <summary>The host version sent in <c>X-Azure-Functions-HostVersion</c> and the user agent.</summary>
    public const string Version = "4.1036.1.23224";

    // HttpWorkerOptions.InitializationTimeout and WorkerConstants.WorkerReadyCheckPollingIntervalMilliseconds.
    private static readonly TimeSpan InitializationTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollingInterval = TimeSpan.FromMilliseconds(25);

    private readonly HttpClient _client = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        // host.json sets no functionTimeout: the host then waits as long as an int of milliseconds allows.
        Timeout = TimeSpan.FromMilliseconds(int.MaxValue),
    };

    private readonly int _port;

    public FunctionsHost(int port) => _port = port;

    /// <summary>The stand-ins for what the host's image sets (its folder, its ports, a home).</summary>
    public HostImage Image { get; } = HostImage.Create();

    /// <summary>The worker id the host gives the handler (FUNCTIONS_CUSTOMHANDLER_WORKER_ID) and names in its logs.</summary>
    public string WorkerId { get; } = Guid.NewGuid().ToString();

    /// <summary>
    /// The handler's environment on top of the host's own (a child process inherits its parent's):
    /// the image's variables, the platform's and the host's, with the port this host calls on.
    /// <paramref name="scriptRoot"/> is the folder of the package (the host's working directory for the handler).
    /// </summary>
    public IReadOnlyDictionary<string, string> HandlerEnvironment(string scriptRoot) => Image.HandlerEnvironment(_port, scriptRoot, WorkerId);

    /// <summary>Every invocation id the host used, in order.</summary>
    public List<string> InvocationIds { get; } = [];

    /// <summary>
    /// IsWorkerReady: <c>GET /</c> every 25 ms; a refused connection (SocketException) means "not
    /// yet", any HTTP answer (or any other failure) means "started"; after 30 s the host gives up.
    /// Returns the answer, or null when the handler never came up.
    /// </summary>
    public async Task<(HttpResponseMessage? Answer, DateTimeOffset At)> WaitUntilReadyAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < InitializationTimeout)
        {
            try
            {
                return (await _client.SendAsync(new HttpRequestMessage { RequestUri = new Uri(Uri()) }), DateTimeOffset.UtcNow);
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException)
            {
                await Task.Delay(PollingInterval);
            }
        }

        return (null, DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// An HTTP trigger with forwarding on (ProcessHttpInAndOutInvocationRequest): the original
    /// path, the query with each key's values joined by commas, every header the request message
    /// accepts (the content headers it refuses are dropped), and the body only when the caller sent a
    /// Content-Length (src/WebJobs.Script/Extensions/HttpRequestExtensions.cs, ToHttpRequestMessage).
    /// The answer is handed back to the caller as is.
    /// </summary>
    public async Task<HttpResponseMessage> ForwardAsync(IncomingRequest request)
    {
        var path = request.PathAndQuery.Split('?', 2);
        var query = QueryHelpers.ParseQuery(path.Length > 1 ? path[1] : null)
            .ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        var uri = new UriBuilder("http", "127.0.0.1", _port, new Uri("http://host" + path[0]).AbsolutePath).ToString();
        using var message = new HttpRequestMessage { RequestUri = new Uri(QueryHelpers.AddQueryString(uri, query)) };
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        message.Method = new HttpMethod(request.Method);
        var contentLength = request.Headers.Where(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => long.Parse(h.Value, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        if (contentLength > 0)
        {
            message.Content = new ByteArrayContent(request.Body ?? []);
            message.Content.Headers.Add("Content-Length", contentLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (request.Headers.FirstOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) is { Value: { } type })
            {
                message.Content.Headers.Add("Content-Type", type);
            }
        }

        AddHeaders(message);
        return await _client.SendAsync(message);
    }

    /// <summary>
    /// A timer, queue or other non-HTTP invocation (ProcessDefaultInvocationRequest): <c>POST
    /// /{FunctionName}</c> with <c>{"Data": …, "Metadata": …}</c> written by an ObjectContent, which
    /// has no length, so the body goes chunked. A non-2xx answer fails the invocation
    /// (EnsureSuccessStatusCode); a 2xx is read as HttpScriptInvocationResult, by Newtonsoft.Json,
    /// whose property names match case-insensitively.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(string functionName, JsonObject data, JsonObject metadata)
    {
        var payload = new JsonObject { ["Data"] = data, ["Metadata"] = metadata };
        using var message = new HttpRequestMessage(HttpMethod.Post, Uri(functionName)) { Content = new UnknownLengthContent(payload.ToJsonString()) };
        AddHeaders(message);
        using var response = await _client.SendAsync(message);
        if (!response.IsSuccessStatusCode)
        {
            return new InvocationResult(response.StatusCode, Succeeded: false, null);
        }

        var result = await response.Content.ReadFromJsonAsync<HostInvocationResult>(new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        return new InvocationResult(response.StatusCode, Succeeded: true, result);
    }

    /// <summary>
    /// The host's <c>Data</c> of a timer trigger: the TimerInfo as a JSON object (a value that
    /// JObject.FromObject accepts stays an object; ScriptInvocationContextExtensions).
    /// </summary>
    public static JsonObject TimerData(bool isPastDue, DateTimeOffset now) => new()
    {
        ["timer"] = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new JsonObject
            {
                ["Last"] = HostDate(now.AddMinutes(-5)),
                ["Next"] = HostDate(now.AddMinutes(5)),
                ["LastUpdated"] = HostDate(now.AddMinutes(-5)),
            },
            ["IsPastDue"] = isPastDue,
        },
    };

    /// <summary>
    /// The host's <c>Data</c> of a queue trigger without a dataType: the message text is bound as a
    /// string, which JObject.FromObject refuses, so the host sends <c>JsonConvert.SerializeObject</c>
    /// of it, a JSON string literal, which the payload then serializes again.
    /// </summary>
    public static JsonObject QueueData(string bindingName, string messageText) => new()
    {
        [bindingName] = JsonSerializer.Serialize(messageText),
    };

    /// <summary>
    /// The host's <c>Metadata</c> of a queue trigger: the binding data of the storage queue extension
    /// (QueueTrigger is left out, it ends in "trigger") with every value that is not an object turned
    /// into a JSON text: DequeueCount 1 becomes "1", the message id a quoted string; dates stay dates.
    /// </summary>
    public static JsonObject QueueMetadata(string functionName, long dequeueCount, DateTimeOffset now) => new()
    {
        ["DequeueCount"] = JsonSerializer.Serialize(dequeueCount),
        ["ExpirationTime"] = HostDate(now.AddDays(7)),
        ["Id"] = JsonSerializer.Serialize(Guid.NewGuid().ToString()),
        ["InsertionTime"] = HostDate(now.AddSeconds(-3)),
        ["NextVisibleTime"] = HostDate(now.AddMinutes(10)),
        ["PopReceipt"] = JsonSerializer.Serialize("AgAAAAMAAAAAAAAAAgtnj8x+1QE="),
        ["sys"] = Sys(functionName, now),
    };

    /// <summary>The <c>sys</c> binding data every invocation carries (SystemBindingData).</summary>
    public static JsonObject Sys(string functionName, DateTimeOffset now) => new()
    {
        ["MethodName"] = functionName,
        ["UtcNow"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };

    public void Dispose()
    {
        _client.Dispose();
        Image.Delete();
    }

    // DateTimeOffset values go through DateTimeOffset.Parse(value.ToString()): whole seconds.
    private static string HostDate(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private string Uri(string? path = null) =>
        string.IsNullOrEmpty(path) ? new UriBuilder("http", "127.0.0.1", _port).ToString() : new UriBuilder("http", "127.0.0.1", _port, path).ToString();

    // AddHeaders: on forwarded requests and invocations alike.
    private void AddHeaders(HttpRequestMessage message)
    {
        var invocationId = Guid.NewGuid().ToString();
        InvocationIds.Add(invocationId);
        message.Headers.Add("X-Azure-Functions-HostVersion", Version);
        message.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        message.Headers.UserAgent.ParseAdd($"Azure-Functions-Host/{Version}");
    }

    /// <summary>What ObjectContent is to HttpClient: content whose length is not known up front.</summary>
    private sealed class UnknownLengthContent(string json) : HttpContent
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(json);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>A request as it reaches the host from a caller: its headers as the caller sent them.</summary>
public sealed record IncomingRequest(string Method, string PathAndQuery, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body = null)
{
    /// <summary>The public host name of the function app the caller addressed.</summary>
    public const string PublicHost = "func-procore-test.azurewebsites.net";

    /// <summary>A request with a JSON body sent with Content-Length, as curl and most clients do.</summary>
    public static IncomingRequest Json(string method, string pathAndQuery, object body, params (string Name, string Value)[] headers)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Infrastructure.Json.Options);
        return new(method, pathAndQuery, [("Host", PublicHost), ("Content-Type", "application/json"), ("Content-Length", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. headers], bytes);
    }

    /// <summary>The same body sent chunked: no Content-Length, with <c>Transfer-Encoding: chunked</c> (HTTP/1.1).</summary>
    public static IncomingRequest Chunked(string method, string pathAndQuery, object body, params (string Name, string Value)[] headers) =>
        new(method, pathAndQuery, [("Host", PublicHost), ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked"), .. headers],
            JsonSerializer.SerializeToUtf8Bytes(body, Infrastructure.Json.Options));

    /// <summary>The same body streamed over HTTP/2: neither Content-Length nor Transfer-Encoding.</summary>
    public static IncomingRequest Streamed(string method, string pathAndQuery, object body, params (string Name, string Value)[] headers) =>
        new(method, pathAndQuery, [("Host", PublicHost), ("Content-Type", "application/json"), .. headers],
            JsonSerializer.SerializeToUtf8Bytes(body, Infrastructure.Json.Options));

    /// <summary>A request without a body.</summary>
    public static IncomingRequest Empty(string method, string pathAndQuery, params (string Name, string Value)[] headers) =>
        new(method, pathAndQuery, [("Host", PublicHost), .. headers]);
}

/// <summary>The host's reading of an invocation's answer.</summary>
public sealed record InvocationResult(HttpStatusCode Status, bool Succeeded, HostInvocationResult? Result);

/// <summary>HttpScriptInvocationResult, the shape the host reads a non-HTTP answer into.</summary>
public sealed record HostInvocationResult(Dictionary<string, JsonElement>? Outputs, List<string>? Logs, JsonElement? ReturnValue);
