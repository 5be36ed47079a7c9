using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>What infra/main.bicep grants and locks down, read from the compiled ARM template.</summary>
[Slow(SlowKind.Process)]
public sealed class InfrastructureTests
{
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    [Fact]
    public void The_apps_identity_may_publish_telemetry_to_Application_Insights_which_takes_no_keys()
    {
        var template = ArmTemplate.Deploy();

        Assert.True((bool)template.Resources("Microsoft.Insights/components").Single()["properties"]!["DisableLocalAuth"]!);
        Assert.Contains(template.Resources("Microsoft.Authorization/roleAssignments"), r =>
            ((string)r["scope"]!).Contains("/providers/Microsoft.Insights/components/", StringComparison.Ordinal)
            && ((string)r["properties"]!["roleDefinitionId"]!).EndsWith("/" + MonitoringMetricsPublisher, StringComparison.Ordinal)
            && (string?)r["properties"]!["principalType"] == "ServicePrincipal");
    }

    [Fact]
    public void Basic_publishing_credentials_are_off_for_the_scm_site_and_ftp()
    {
        var policies = ArmTemplate.Deploy().Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        foreach (var kind in new[] { "scm", "ftp" })
        {
            Assert.Contains(policies, p => ((string)p["name"]!).EndsWith("/" + kind, StringComparison.Ordinal) && (bool?)p["properties"]!["allow"] == false);
        }
    }

    [Fact]
    public void Key_Vault_audit_events_go_to_the_Log_Analytics_workspace()
    {
        var template = ArmTemplate.Deploy();
        var workspace = (string)template.Resources("Microsoft.OperationalInsights/workspaces").Single()["name"]!;

        Assert.Contains(template.Resources("Microsoft.Insights/diagnosticSettings"), d =>
            ((string?)d["scope"] ?? "").Contains("Microsoft.KeyVault/vaults/", StringComparison.Ordinal)
            && ((string)d["properties"]!["workspaceId"]!).EndsWith("/providers/Microsoft.OperationalInsights/workspaces/" + workspace, StringComparison.Ordinal)
            && d["properties"]!["logs"]!.AsArray().Any(l => (string?)l!["category"] == "AuditEvent" && (bool?)l["enabled"] == true));
    }
}
