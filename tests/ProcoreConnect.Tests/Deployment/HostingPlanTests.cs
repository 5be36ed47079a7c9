using System.Text.Json.Nodes;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>
/// What infra/main.bicep deploys: Flex Consumption, the only plan it offers (Linux Consumption is
/// retired on 30 September 2028 and its deployment needs an account key; docs/operations.md,
/// "Hosting plan"). Read from the compiled ARM template.
/// </summary>
[Slow(SlowKind.Process)]
public sealed class HostingPlanTests
{
    // Settings Flex Consumption replaces with functionAppConfig (runtime) or its own deployment
    // path, and refuses (docs/operations.md, "Hosting plan").
    private static readonly string[] NotOnFlex = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"];

    [Fact]
    public void Flex_Consumption_runs_the_custom_handler_from_a_container_read_with_the_apps_identity()
    {
        var flex = ArmTemplate.Deploy();

        var plan = flex.Resources("Microsoft.Web/serverfarms").Single();
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);

        var config = flex.Resources("Microsoft.Web/sites").Single()["properties"]!["functionAppConfig"]!;
        Assert.Equal("custom", (string?)config["runtime"]!["name"]);
        Assert.Equal("1.0", (string?)config["runtime"]!["version"]);
        Assert.Equal(2048, (long)config["scaleAndConcurrency"]!["instanceMemoryMB"]!);
        Assert.Equal(100, (long)config["scaleAndConcurrency"]!["maximumInstanceCount"]!);

        var storage = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("SystemAssignedIdentity", (string?)storage["authentication"]!["type"]);
        // The account's blob endpoint (known at deployment) followed by the container's name.
        var url = (string)storage["value"]!;
        Assert.StartsWith(ArmTemplate.Runtime, url, StringComparison.Ordinal);
        var container = url[ArmTemplate.Runtime.Length..];
        Assert.Contains(flex.Resources("Microsoft.Storage/storageAccounts/blobServices/containers"), c => ((string)c["name"]!).EndsWith("/" + container, StringComparison.Ordinal));

        Assert.Empty(NotOnFlex.Intersect(flex.AppSettings().Keys));
        // Nothing uses the account key: the host, the app and the deployment use the identity.
        Assert.False((bool)flex.Resources("Microsoft.Storage/storageAccounts").Single()["properties"]!["allowSharedKeyAccess"]!);
    }

    [Fact]
    public void Flex_Consumption_sizes_come_from_parameters()
    {
        var flex = ArmTemplate.Deploy(new Dictionary<string, JsonNode?> { ["instanceMemoryMB"] = 4096, ["maximumInstanceCount"] = 40 });

        var scale = flex.Resources("Microsoft.Web/sites").Single()["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;
        Assert.Equal(4096, (long)scale["instanceMemoryMB"]!);
        Assert.Equal(40, (long)scale["maximumInstanceCount"]!);
    }

    [Fact]
    public void No_other_plan_can_be_chosen_by_parameter_or_by_azd()
    {
        Assert.DoesNotContain("planKind", ArmTemplate.ParameterNames);
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot.Path, "infra", "main.parameters.json")))!["parameters"]!.AsObject();
        Assert.Equal(["environmentName", "location"], parameters.Select(p => p.Key));
    }
}
