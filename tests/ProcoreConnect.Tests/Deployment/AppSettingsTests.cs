using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NCrontab;
using ProcoreConnect.Hosting;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>
/// Every app setting a generated <c>function.json</c> names is defined where the host runs: by
/// infra/main.bicep in Azure and by local.settings.sample.json for <c>func start</c>. The host
/// resolves <c>%Name%</c> in a binding from the app settings when it indexes the function; an
/// unresolved one fails that function ("'%Name%' does not resolve to a value.", Azure/azure-webjobs-sdk
/// src/Microsoft.Azure.WebJobs.Host/NameResolverExtensions.cs), so a timer would never fire.
/// </summary>
public sealed partial class AppSettingsTests
{
    [Slow(SlowKind.Process)]
    [Fact]
    public void Every_setting_a_binding_names_is_set_by_the_bicep_template() =>
        AssertDefined(ArmTemplate.Deploy().AppSettings(), "infra/main.bicep");

    [Fact]
    public void Every_setting_a_binding_names_is_set_by_the_local_settings_sample()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => (string?)p.Value.GetString());
        AssertDefined(values, "local.settings.sample.json");
    }

    private static void AssertDefined(IReadOnlyDictionary<string, string?> settings, string where)
    {
        var missing = new List<string>();
        foreach (var function in AppEndpoints.Functions)
        {
            foreach (var binding in FunctionJsonWriter.Build(function)["bindings"]!.AsArray())
            {
                foreach (var (key, value) in binding!.AsObject())
                {
                    var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                    foreach (Match reference in Placeholder().Matches(text ?? ""))
                    {
                        var name = reference.Groups[1].Value;
                        if (!settings.TryGetValue(name, out var resolved) || string.IsNullOrEmpty(resolved))
                        {
                            missing.Add($"{function.Name}.{key}: %{name}%");
                        }
                        else if (key == "schedule" && resolved != ArmTemplate.Runtime)
                        {
                            // The host's timer trigger reads six-field NCRONTAB (with seconds), as the local scheduler does.
                            Assert.NotNull(CrontabSchedule.TryParse(resolved, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
                        }
                    }

                    // An identity-based connection is a group of settings (Name__accountName, …); a
                    // connection string is the setting itself.
                    if (key == "connection" && text is not null
                        && !settings.ContainsKey(text) && !settings.Keys.Any(k => k.StartsWith(text + "__", StringComparison.Ordinal)))
                    {
                        missing.Add($"{function.Name}.connection: {text}");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, $"{where} does not define: {string.Join(", ", missing)}");
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Placeholder();
}
