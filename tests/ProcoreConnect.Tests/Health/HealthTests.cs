using System.Net;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Health;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthy_when_storage_and_secret_store_answer()
    {
        using var app = new AppFactory();
        var response = await app.CreateClient().GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("secretStore").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unhealthy_with_503_when_storage_is_unreachable()
    {
        var closed = FreePort.Next();
        using var app = AppFactory.With(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.Instance.ConnectionString.Replace($":{Azurite.Instance.TablePort}/", $":{closed}/", StringComparison.Ordinal),
        });
        // The server's own client: no partner key to mint while storage is down.
        var response = await app.Server.CreateClient().GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
    }
}

public sealed class StartupWorkTests
{
    [Fact]
    public void Nothing_at_start_up_loads_a_data_protection_key_ring()
    {
        // Data Protection's hosted service reads (or writes) an XML key ring before the server
        // starts; the app protects no data, so it must not come back with a new registration.
        using var app = new AppFactory();

        Assert.Null(app.Services.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
        Assert.DoesNotContain(
            app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(),
            s => s.GetType().Namespace!.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
    }
}
