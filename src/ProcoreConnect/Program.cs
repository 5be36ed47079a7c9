using ProcoreConnect.Extensions;
using ProcoreConnect.Hosting;
using ProcoreConnect.Security;

// Run by the publish step: writes {Function}/function.json for the Functions host, read from the
// endpoints the app maps. The directory is no argument of the app's own; nor is write-openapi's file.
var generate = args is ["generate-functions", _] or ["write-openapi", _];
var builder = WebApplication.CreateBuilder(CustomHandlerPort.BuilderOptions(generate ? [] : args));
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
// A query parameter the endpoint does not take is refused before anything is done or counted.
app.UseMiddleware<ProcoreConnect.Http.StrictQuery>();
// After authorization: it partitions by the authenticated partner, and a refused caller costs no permit.
app.UseMiddleware<RateLimiting>();
app.MapProcoreConnect();

if (args is ["generate-functions", var outputDirectory])
{
    foreach (var path in FunctionJsonWriter.WriteAll(FunctionDefinition.In(app), outputDirectory))
    {
        Console.WriteLine(path);
    }

    return;
}

if (args is ["write-openapi", var documentPath])
{
    Console.WriteLine(await ProcoreConnect.OpenApi.ApiDocumentFile.WriteAsync(app, documentPath, CancellationToken.None));
    return;
}

app.Run();

/// <summary>The app's entry point, public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
