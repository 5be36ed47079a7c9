using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>Every step of a refresh where the fault-injection test fails or kills the process.</summary>
public enum RefreshStep
{
    LeaseAcquire,
    ReadSecret,
    ProcoreRequest,
    ProcoreResponseLost,
    /// <summary>Writing the new tokens (refresh and access, one secret version).</summary>
    WriteTokens,
    IndexWrite,
    RowUpdate,
    LeaseRelease,
    /// <summary>Removing the old refresh-index entry, after the row update.</summary>
    RetireOld,
}

/// <summary>An injected failure.</summary>
public sealed class InjectedFaultException(RefreshStep step) : Exception($"injected fault at {step}")
{
    public RefreshStep Step { get; } = step;
}

/// <summary>
/// Where the next fault goes. "Fail" throws once and the process lives on; "kill" throws every
/// time in that process (which the test then abandons, as a crashed instance).
/// </summary>
public sealed class FaultPlan
{
    private RefreshStep? _step;
    private bool _kill;
    private int _fired;

    public int Fired => _fired;

    public void Arm(RefreshStep step, bool kill)
    {
        _kill = kill;
        _fired = 0;
        _step = step;
    }

    public void Disarm() => _step = null;

    public void Hit(RefreshStep step)
    {
        if (_step != step)
        {
            return;
        }

        if (!_kill && Interlocked.Exchange(ref _fired, 1) == 1)
        {
            return;
        }

        if (_kill)
        {
            Interlocked.Exchange(ref _fired, 1);
        }

        throw new InjectedFaultException(step);
    }
}

/// <summary>Fails Table Storage calls at the lease, index, row and retire (old index entry) steps.</summary>
public sealed class TableFaultPolicy(FaultPlan plan, string prefix) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Check(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        var method = message.Request.Method;
        var write = method == RequestMethod.Put || method == RequestMethod.Post || method == RequestMethod.Patch;
        if (path.Contains($"/{prefix}Leases", StringComparison.Ordinal))
        {
            if (write)
            {
                plan.Hit(RefreshStep.LeaseAcquire);
            }
            else if (method == RequestMethod.Delete)
            {
                plan.Hit(RefreshStep.LeaseRelease);
            }
        }
        else if (path.Contains($"/{prefix}RefreshIndex", StringComparison.Ordinal))
        {
            if (write)
            {
                plan.Hit(RefreshStep.IndexWrite);
            }
            else if (method == RequestMethod.Delete)
            {
                plan.Hit(RefreshStep.RetireOld);
            }
        }
        else if (method == RequestMethod.Put && path.Contains($"/{prefix}Workspaces", StringComparison.Ordinal))
        {
            plan.Hit(RefreshStep.RowUpdate);
        }
    }
}

/// <summary>Fails secret-store calls at the read and write steps.</summary>
public sealed class FaultySecretStore(ISecretStore inner, FaultPlan plan) : ISecretStore
{
    public string Kind => inner.Kind;

    public Task<SecretReference> SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        if (name.EndsWith("-tokens", StringComparison.Ordinal))
        {
            plan.Hit(RefreshStep.WriteTokens);
        }

        return inner.SetAsync(name, value, cancellationToken);
    }

    public Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        plan.Hit(RefreshStep.ReadSecret);
        return inner.GetAsync(reference, cancellationToken);
    }

    public Task<(SecretReference Reference, string Value)?> GetLatestAsync(string name, CancellationToken cancellationToken)
    {
        plan.Hit(RefreshStep.ReadSecret);
        return inner.GetLatestAsync(name, cancellationToken);
    }

    public Task DisableAsync(SecretReference reference, CancellationToken cancellationToken) => inner.DisableAsync(reference, cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);

    public Task CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);
}

/// <summary>Fails Procore's token endpoint: before the request (a 500), or after Procore answered (the answer is lost).</summary>
public sealed class ProcoreFaultHandler(FaultPlan plan) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            plan.Hit(RefreshStep.ProcoreRequest);
        }
        catch (InjectedFaultException)
        {
            return new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError)
            {
                Content = new StringContent("{\"error\":\"server_error\"}", System.Text.Encoding.UTF8, "application/json"),
            };
        }

        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            plan.Hit(RefreshStep.ProcoreResponseLost);
        }
        catch (InjectedFaultException)
        {
            response.Dispose();
            throw new HttpRequestException("injected: the connection dropped after Procore answered");
        }

        return response;
    }
}
