using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ProcoreConnect.Clients;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Clients;

/// <summary>A partner reading a public client reads its own workspaces' partition, never the others'.</summary>
public sealed class PublicClientReadTests : IDisposable
{
    private readonly WorkspaceQueries _queries = new();
    private readonly AppFactory _app;

    public PublicClientReadTests()
    {
        var options = new TableClientOptions();
        options.AddPolicy(_queries, HttpPipelinePosition.PerCall);
        _app = new AppFactory().WithServices(s => s.AddSingleton(new TableServiceClient(Azurite.Instance.ConnectionString, options)));
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Reading_a_public_client_queries_only_the_callers_partition_and_counts_its_workspaces()
    {
        var admin = _app.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        var name = Connections.NewClientName();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).StatusCode);
        var a = _app.ClientFor("partner-a");
        var b = _app.ClientFor("partner-b");
        Assert.Equal(HttpStatusCode.Created, (await a.PutAsync($"/api/workspaces/{Connections.NewId()}/connection", Json.Body(Connections.Valid(name)))).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await b.PutAsync($"/api/workspaces/{Connections.NewId()}/connection", Json.Body(Connections.Valid(name)))).StatusCode);
        }

        _queries.Clear();
        var read = await a.GetAsync($"/api/oauth-clients/{name}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(1, (await read.ReadAsync<OAuthClientResponse>()).WorkspaceCount);
        var query = Assert.Single(_queries.Seen);
        Assert.Contains("PartitionKey eq 'partner-a'", query.Filter, StringComparison.Ordinal);
        Assert.Equal(1, query.Rows);
        // The operator still counts every partner's.
        Assert.Equal(6, (await (await admin.GetAsync($"/api/oauth-clients/{name}")).ReadAsync<OAuthClientResponse>()).WorkspaceCount);
    }

    /// <summary>Every query of the Workspaces table: its filter and how many rows it answered.</summary>
    private sealed class WorkspaceQueries : HttpPipelinePolicy
    {
        private readonly ConcurrentQueue<(string Filter, int Rows)> _seen = new();

        public IReadOnlyList<(string Filter, int Rows)> Seen => [.. _seen];

        public void Clear() => _seen.Clear();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The app queries asynchronously.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            var uri = message.Request.Uri.ToUri();
            var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
            if (message.Request.Method == RequestMethod.Get && uri.AbsolutePath.EndsWith(WorkspaceRepository.TableName + "()", StringComparison.Ordinal)
                && query["$filter"] is { } filter && message.Response.Status == 200)
            {
                using var body = JsonDocument.Parse(message.Response.Content.ToMemory());
                _seen.Enqueue((filter, body.RootElement.GetProperty("value").GetArrayLength()));
            }
        }
    }
}
