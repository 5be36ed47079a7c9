namespace ProcoreConnect.Security;

/// <summary>Notes every request to Procore as <see cref="CostlyWork"/>.</summary>
public sealed class CostlyWorkHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        CostlyWork.Note();
        return base.SendAsync(request, cancellationToken);
    }
}
