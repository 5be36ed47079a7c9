using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using ProcoreConnect.Extensions;
using ProcoreConnect.Hosting;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Hosting;

public sealed class FunctionBindingTests : IClassFixture<AppFactory>
{
    private readonly AppFactory _app;

    public FunctionBindingTests(AppFactory app) => _app = app;

    [Fact]
    public void Generated_function_json_files_agree_with_the_app_routes_both_ways()
    {
        var folder = Directory.CreateTempSubdirectory("functions-");
        _app.CreateClient();
        var endpoints = _app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var functions = FunctionDefinition.In(endpoints);
        FunctionJsonWriter.WriteAll(functions, folder.FullName);
        // Every endpoint is served through a function but the host's readiness probe: a function's own, or a page's (the API reference's scripts).
        Assert.Equal(["HostReadiness"], endpoints.Where(e => e.Metadata.GetMetadata<FunctionBinding>() is null).Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName));
        var served = endpoints.Where(e => e.Metadata.GetMetadata<FunctionBinding>() is not null)
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .ToList();

        var bound = new List<(string Path, IReadOnlyList<string> Methods)>();
        foreach (var file in Directory.GetFiles(folder.FullName, "function.json", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file))!;
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var trigger = json.RootElement.GetProperty("bindings")[0];
            switch (trigger.GetProperty("type").GetString())
            {
                case "httpTrigger":
                    bound.Add(("/api/" + trigger.GetProperty("route").GetString(),
                        [.. trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())]));
                    Assert.Equal("http", json.RootElement.GetProperty("bindings")[1].GetProperty("type").GetString());
                    break;
                case "timerTrigger":
                    bound.Add(("/" + name, ["POST"]));
                    Assert.Equal($"%Schedules__{name}%", trigger.GetProperty("schedule").GetString());
                    break;
                case "queueTrigger":
                    bound.Add(("/" + name, ["POST"]));
                    // The refresh queue, or its poison queue (HostJsonTests).
                    Assert.StartsWith("%Refresh__QueueName%", trigger.GetProperty("queueName").GetString(), StringComparison.Ordinal);
                    break;
                default:
                    Assert.Fail($"{name}: unexpected trigger type");
                    break;
            }
        }

        Assert.Equal(functions.Count, bound.Count);
        foreach (var (path, methods) in bound)
        {
            Assert.Contains(served, s => s.Path == path && methods.All(m => s.Methods.Contains(m)));
        }

        // A served endpoint is reachable in Azure when a function's route matches it: its own route,
        // or, for the files a page loads beside it (the API reference's scripts), the page's route.
        foreach (var (path, methods) in served)
        {
            Assert.True(bound.Any(b => Reaches(b.Path, path) && methods.All(m => b.Methods.Contains(m))), $"{path} is served but no function forwards it");
        }
    }

    private static bool Reaches(string route, string path) =>
        route == path
        || (!path.Contains('{', StringComparison.Ordinal)
            && new TemplateMatcher(TemplateParser.Parse(route.TrimStart('/')), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()));

    [Fact]
    public void Function_names_are_unique_and_timer_schedules_parse()
    {
        var functions = AppEndpoints.Functions;
        Assert.Equal(functions.Count, functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var configuration = new ConfigurationBuilder().Build();
        foreach (var timer in functions.Where(f => f.Trigger == FunctionTrigger.Timer))
        {
            var schedule = LocalTimerScheduler.ScheduleOf(timer, configuration);
            var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            Assert.True(schedule.GetNextOccurrence(start) > start);
        }
    }

    [Fact]
    public void The_custom_handler_listens_on_the_hosts_port_or_7071()
    {
        var hosted = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [$"--{CustomHandlerPort.PortVariable}=45678"] });
        CustomHandlerPort.Apply(hosted);
        Assert.Equal("http://127.0.0.1:45678", hosted.WebHost.GetSetting("urls"));

        var local = WebApplication.CreateBuilder();
        CustomHandlerPort.Apply(local);
        Assert.Equal("http://127.0.0.1:7071", local.WebHost.GetSetting("urls"));
    }
}
