using Microsoft.AspNetCore.Routing;
using ProcoreConnect.Extensions;
using ProcoreConnect.Hosting;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// The endpoints as the app maps them (<see cref="EndpointExtensions.MapProcoreConnect"/>), read
/// without starting it: no storage, no host. What generate-functions reads, for tests that need the
/// functions before any app runs (theory data, the package's expectations).
/// </summary>
public static class AppEndpoints
{
    // A service provider and a route builder rather than a WebApplication: building a host while a
    // WebApplicationFactory waits for the app's would hand it this one. Not cached on failure.
    private static readonly Lazy<IReadOnlyList<Endpoint>> Mapped = new(Map, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>Every endpoint, in the order they are mapped.</summary>
    public static IReadOnlyList<Endpoint> All => Mapped.Value;

    /// <summary>Every function among them.</summary>
    public static IReadOnlyList<FunctionDefinition> Functions => FunctionDefinition.In(All);

    private static IReadOnlyList<Endpoint> Map()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddRouting();
        services.AddProcoreConnect();
        var routes = new RouteBuilder(services.BuildServiceProvider());
        routes.MapProcoreConnect();
        return [.. routes.DataSources.SelectMany(d => d.Endpoints)];
    }

    private sealed class RouteBuilder(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
