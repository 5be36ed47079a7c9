using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ProcoreConnect.Telemetry;

namespace ProcoreConnect.Extensions;

/// <summary>OpenTelemetry: to Application Insights when configured, to the console when asked.</summary>
public static class TelemetryExtensions
{
    /// <summary>
    /// Traces and metrics of the app, ASP.NET Core and outgoing HTTP. Exported to Azure Monitor
    /// when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (authenticating with the managed
    /// identity), and to the console when <c>Telemetry:Console</c> is true (the local run). With
    /// neither, OpenTelemetry is not set up at all: listeners that export nowhere would still cost
    /// every request an activity and the cold start about 60 ms. The app's own meters work either way.
    /// </summary>
    public static WebApplicationBuilder AddConnectTelemetry(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var console = builder.Configuration.GetValue<bool>("Telemetry:Console");
        if (string.IsNullOrEmpty(connectionString) && !console)
        {
            return builder;
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("procore-connect"))
            .WithTracing(t =>
            {
                // Not the host's pings on GET / (readiness, then latency checks): many, and they say nothing.
                t.AddSource(ConnectTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = context => context.Request.Path != "/";
                        // The callback's query is the sign-in's code and state: no span keeps any
                        // query, whatever OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION
                        // says (the instrumentation's own redaction keeps the names and yields to it).
                        o.EnrichWithHttpRequest = static (activity, _) => activity.SetTag("url.query", null);
                        // A connect link's path is its secret: the span keeps the route template instead.
                        o.EnrichWithHttpResponse = (activity, response) =>
                        {
                            if (Http.SecretInPath.Marks(response.HttpContext))
                            {
                                activity.SetTag("url.path", Http.SecretInPath.LoggablePath(response.HttpContext));
                            }
                        };
                    })
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrEmpty(connectionString))
                {
                    t.AddAzureMonitorTraceExporter(o => Configure(o, connectionString));
                }

                if (console)
                {
                    t.AddConsoleExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(ConnectTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (!string.IsNullOrEmpty(connectionString))
                {
                    m.AddAzureMonitorMetricExporter(o => Configure(o, connectionString));
                }

                if (console)
                {
                    m.AddConsoleExporter();
                }
            });

        if (!string.IsNullOrEmpty(connectionString))
        {
            otel.WithLogging(l => l.AddAzureMonitorLogExporter(o => Configure(o, connectionString)));
        }

        return builder;
    }

    private static void Configure(AzureMonitorExporterOptions options, string connectionString)
    {
        options.ConnectionString = connectionString;
        // Application Insights has local (key) auth disabled: export with the managed identity.
        options.Credential = new DefaultAzureCredential();
    }
}
