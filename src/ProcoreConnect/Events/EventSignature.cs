using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProcoreConnect.Events;

/// <summary>
/// The signature on outgoing events: <c>ProcoreConnect-Signature: v1=hex(HMAC-SHA256(secret,
/// "{timestamp}.{body}"))</c>, with the Unix timestamp in <c>ProcoreConnect-Timestamp</c>.
/// Receivers recompute it over the raw body and reject stale timestamps (replays).
/// </summary>
public static class EventSignature
{
    /// <summary>The signature header.</summary>
    public const string Header = "ProcoreConnect-Signature";

    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = "ProcoreConnect-Timestamp";

    /// <summary>The event id header (for the receiver's deduplication).</summary>
    public const string EventIdHeader = "ProcoreConnect-Event-Id";

    /// <summary>The header value for a body signed at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, string body) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body)));

    /// <summary>What a receiver does: recompute, compare in constant time, and bound the age.</summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || signatureHeader is null
            || Math.Abs((now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).TotalSeconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signatureHeader));
    }
}
