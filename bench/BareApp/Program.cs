var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.MapGet("/api/health", () => Results.Ok(new { status = "healthy" }));
app.MapGet("/api/constant", () => Results.Ok(new { accessToken = "constant", tokenType = "Bearer" }));
app.Run();
