using Microsoft.AspNetCore.Http.HttpResults;

namespace ProcoreConnect.Migrations;

/// <summary><c>POST /api/migrations/inline-clients</c> (admin): move workspaces with inline credentials onto OAuth clients.</summary>
public static class MigrationEndpoints
{
    /// <summary>Runs the migration once and reports what it did; running it again does nothing.</summary>
    public static async Task<Ok<MigrationReport>> MigrateInlineClients(InlineClientMigration migration, CancellationToken cancellationToken) =>
        TypedResults.Ok(await migration.RunAsync(cancellationToken));
}
