using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProcoreConnect.Hosting;

/// <summary>Generates each function's <c>function.json</c> from its endpoint (<see cref="FunctionDefinition.In(IEndpointRouteBuilder)"/>).</summary>
public static class FunctionJsonWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The binding document for one function.</summary>
    public static JsonObject Build(FunctionDefinition function) => function.Trigger switch
    {
        FunctionTrigger.Http => new JsonObject
        {
            ["bindings"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "httpTrigger",
                    ["direction"] = "in",
                    ["name"] = "req",
                    ["authLevel"] = function.AuthLevel == FunctionAuthLevel.Anonymous ? "anonymous" : "function",
                    ["methods"] = new JsonArray([.. function.Methods.Select(m => JsonValue.Create(m.ToLowerInvariant()))]),
                    ["route"] = function.Route,
                },
                new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
        },
        FunctionTrigger.Timer => new JsonObject
        {
            ["bindings"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "timerTrigger",
                    ["direction"] = "in",
                    ["name"] = "timer",
                    // Resolved by the host from the app setting, so the schedule lives in configuration.
                    ["schedule"] = $"%{AppSettingName(function.Binding.ScheduleSetting!)}%",
                }),
        },
        FunctionTrigger.Queue => new JsonObject
        {
            ["bindings"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "queueTrigger",
                    ["direction"] = "in",
                    ["name"] = "msg",
                    // The host resolves every %Setting% in the name, with text around it (NameResolverExtensions.ResolveWholeString).
                    ["queueName"] = $"%{AppSettingName(function.Binding.QueueSetting!)}%{function.Binding.QueueSuffix}",
                    // The host's own storage account (AzureWebJobsStorage, identity-based in Azure).
                    ["connection"] = "AzureWebJobsStorage",
                }),
        },
        _ => throw new InvalidOperationException($"Unknown trigger {function.Trigger}."),
    };

    /// <summary>The app-setting (environment variable) spelling of a configuration key.</summary>
    public static string AppSettingName(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Writes <c>{Name}/function.json</c> for every function under <paramref name="outputDirectory"/>.</summary>
    public static IReadOnlyList<string> WriteAll(IEnumerable<FunctionDefinition> functions, string outputDirectory)
    {
        var written = new List<string>();
        foreach (var function in functions)
        {
            var folder = Path.Combine(outputDirectory, function.Name);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "function.json");
            File.WriteAllText(path, Build(function).ToJsonString(Indented));
            written.Add(path);
        }

        return written;
    }
}
