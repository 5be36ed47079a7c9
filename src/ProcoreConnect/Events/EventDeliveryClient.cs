namespace ProcoreConnect.Events;

/// <summary>Typed client that posts signed events to partner webhooks.</summary>
public sealed class EventDeliveryClient(HttpClient http)
{
    /// <summary>Posts one event; the status code, or 0 when the partner could not be reached.</summary>
    public async Task<(int Status, string? Error)> PostAsync(Uri url, string eventId, string body, long timestamp, string signature, CancellationToken cancellationToken)
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
            using var response = await http.SendAsync(request, cancellationToken);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException ex)
        {
            return (0, ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (0, "timeout");
        }
    }
}
