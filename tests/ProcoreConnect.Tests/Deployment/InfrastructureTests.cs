using System.Text.Json.Nodes;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>What infra/main.bicep grants and locks down, read from the compiled ARM template on both plans.</summary>
public sealed class InfrastructureTests
{
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    public static TheoryData<string> Plans => ["flex", "consumption"];

    [Theory]
    [MemberData(nameof(Plans))]
    public void The_apps_identity_may_publish_telemetry_to_Application_Insights_which_takes_no_keys(string planKind)
    {
        var template = Deploy(planKind);

        Assert.True((bool)template.Resources("Microsoft.Insights/components").Single()["properties"]!["DisableLocalAuth"]!);
        Assert.Contains(template.Resources("Microsoft.Authorization/roleAssignments"), r =>
            ((string)r["scope"]!).Contains("/providers/Microsoft.Insights/components/", StringComparison.Ordinal)
            && ((string)r["properties"]!["roleDefinitionId"]!).EndsWith("/" + MonitoringMetricsPublisher, StringComparison.Ordinal)
            && (string?)r["properties"]!["principalType"] == "ServicePrincipal");
    }

    private static ArmTemplate Deploy(string planKind) => ArmTemplate.Deploy(new Dictionary<string, JsonNode?> { ["planKind"] = planKind });
}
