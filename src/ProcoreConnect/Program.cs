using ProcoreConnect.Extensions;
using ProcoreConnect.Hosting;
using ProcoreConnect.Security;

if (args is ["generate-functions", var outputDirectory])
{
    // Run by the publish step: writes {Function}/function.json for the Functions host.
    foreach (var path in FunctionJsonWriter.WriteAll(FunctionCatalog.All, outputDirectory))
    {
        Console.WriteLine(path);
    }

    return;
}

var builder = WebApplication.CreateBuilder(CustomHandlerPort.BuilderOptions(args));
CustomHandlerPort.Apply(builder);
builder.Services.AddProcoreConnect();
builder.AddConnectTelemetry();

var app = builder.Build();
app.UseExceptionHandler();
// A hot token call with a partner key is answered here; anything else goes on as before.
app.UseMiddleware<ProcoreConnect.Tokens.HotTokenLane>();
app.UseStatusCodePages();
app.UseMiddleware<RefusalLogging>();
app.UseAuthentication();
app.UseAuthorization();
// After authorization: it partitions by the authenticated partner, and a refused caller costs no permit.
app.UseMiddleware<RateLimiting>();
app.MapHostReadiness();
app.MapFunctions(FunctionCatalog.All);
app.Run();

/// <summary>The app's entry point, public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
