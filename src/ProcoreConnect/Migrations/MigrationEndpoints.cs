using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Migrations;

/// <summary><c>POST /api/migrations/inline-clients</c> (admin): move workspaces with inline credentials onto OAuth clients.</summary>
public static class MigrationEndpoints
{
    /// <summary>Maps the migration, for admins.</summary>
    public static IEndpointRouteBuilder MapMigrations(this IEndpointRouteBuilder api)
    {
        api.MapPost("migrations/inline-clients", MigrateInlineClients)
            .WithName("MigrateInlineClients")
            .RequireAuthorization(Roles.Admin)
            .WithTags(ApiTags.Administration)
            .WithSummary("Move workspaces with inline credentials onto OAuth clients")
            .WithDescription("Once per upgrade from a version whose connections carried their own credentials; a second run finds nothing to do.")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "What the migration did.", Examples.Migration)]);
        return api;
    }

    /// <summary>Runs the migration once and reports what it did; running it again does nothing.</summary>
    public static async Task<Ok<MigrationReport>> MigrateInlineClients(InlineClientMigration migration, CancellationToken cancellationToken) =>
        TypedResults.Ok(await migration.RunAsync(cancellationToken));

    private static class Examples
    {
        public static readonly MigrationReport Migration = new(12, 3, 0, 12);
    }
}
