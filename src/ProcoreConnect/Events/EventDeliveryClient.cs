namespace ProcoreConnect.Events;

/// <summary>Typed client that posts signed events to partner webhooks (through <see cref="PublicAddressConnector"/>).</summary>
public sealed class EventDeliveryClient(HttpClient http, ILogger<EventDeliveryClient> logger)
{
    /// <summary>
    /// The only failure reason a partner's event record shows. Connection refused, a TLS failure, a
    /// refused address and a timeout read alike, so the record cannot serve as a port scanner; the
    /// log keeps the cause for operators.
    /// </summary>
    public const string FailedReason = "delivery failed";

    /// <summary>Posts one event; the status code, or 0 when no answer came (the cause is logged, not returned).</summary>
    public async Task<int> PostAsync(Uri url, string eventId, string body, long timestamp, string signature, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(EventSignature.EventIdHeader, eventId);
        request.Headers.Add(EventSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(EventSignature.Header, signature);
        try
        {
            // Only the status counts: the partner's body is never read, so no answer can fill memory.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("Event {EventId} to host {Host}: no answer ({Error}: {Cause})", eventId, url.Host, ex.HttpRequestError, (ex.InnerException ?? ex).Message);
            return 0;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Event {EventId} to host {Host}: no answer within the timeout", eventId, url.Host);
            return 0;
        }
    }
}
