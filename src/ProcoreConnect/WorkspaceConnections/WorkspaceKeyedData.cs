using ProcoreConnect.ProcoreCalls;
using ProcoreConnect.Webhooks;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>Removes what is kept under a workspace's key beside its row: its Procore hook, deliveries and known projects, and its Procore call log.</summary>
public sealed class WorkspaceKeyedData(InboundWebhookStore hooks, ProcoreCallLog callLog)
{
    /// <summary>Removes it all; safe to repeat (a delete cut short runs it again).</summary>
    public async Task PurgeAsync(string workspaceKey, CancellationToken cancellationToken)
    {
        await hooks.PurgeAsync(workspaceKey, cancellationToken);
        await callLog.DeleteAsync(workspaceKey, cancellationToken);
    }
}
