using Microsoft.Extensions.Options;
using ProcoreConnect.Hosting;
using ProcoreConnect.Webhooks;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// Timer function: finishes deletes that were cut short (a crash between marking a workspace
/// <c>deleting</c> and removing its row), so no workspace is left half-deleted for long, and
/// removes OAuth states that expired unused and connect links a month past their expiry, and deletes Procore deliveries older than
/// <see cref="WebhookOptions.DeliveryRetention"/> and partner events older than <see cref="Events.EventOptions.Retention"/>.
/// </summary>
public static class PurgeDeletedWorkspaces
{
    /// <summary>A delete younger than this may still be in flight; leave it to its request.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <summary>Maps the timer, every 15 minutes unless <c>Schedules:PurgeDeletedWorkspaces</c> says otherwise.</summary>
    public static IEndpointRouteBuilder MapPurgeDeletedWorkspaces(this IEndpointRouteBuilder app)
    {
        app.MapTimer("PurgeDeletedWorkspaces", "0 */15 * * * *", RunAsync);
        return app;
    }

    /// <summary>Runs one sweep.</summary>
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var workspaces = services.GetRequiredService<WorkspaceRepository>();
        var deletions = services.GetRequiredService<WorkspaceDeletion>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var cutoff = now - Grace;
        await foreach (var workspace in workspaces.ListDeletingAsync(cancellationToken))
        {
            if (workspace.UpdatedAt <= cutoff)
            {
                await deletions.PurgeAsync(workspace, cancellationToken);
                await services.GetRequiredService<DeletionNotice>().PublishAsync(workspace, cancellationToken);
            }
        }

        await services.GetRequiredService<OAuth.OAuthStateStore>().PurgeExpiredAsync(cancellationToken);
        await services.GetRequiredService<ConnectLinks.ConnectLinkStore>().PurgeExpiredAsync(now, cancellationToken);
        var retention = services.GetRequiredService<IOptions<WebhookOptions>>().Value.DeliveryRetention;
        await services.GetRequiredService<InboundWebhookStore>().ExpireDeliveriesAsync(now - retention, cancellationToken);
        await services.GetRequiredService<Events.EventLog>().ExpireAsync(now - services.GetRequiredService<IOptions<Events.EventOptions>>().Value.Retention, cancellationToken);
    }
}
