using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ProcoreConnect.Events;

/// <summary>
/// Event ids and the <c>Events</c> row keys made from them. An id (<c>evt_</c>, the Unix
/// milliseconds in 13 digits, a sequence in 8 hex, 8 random hex) sorts in the order events
/// happened; its row key holds the time and sequence inverted, so a partner's partition reads
/// newest first and pages like every other list, and an id finds its row with one point read.
/// </summary>
public static partial class EventKeys
{
    private const long LastMillisecond = 9_999_999_999_999;
    private const uint LastSequence = uint.MaxValue;

    /// <summary>A new event id for <paramref name="at"/>.</summary>
    public static string NewId(DateTimeOffset at, ulong sequence) =>
        "evt_" + at.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture)
        + (sequence % 0x1_0000_0000).ToString("x8", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The row key of event <paramref name="eventId"/>, or null when it is not an event id.</summary>
    public static string? RowKey(string? eventId)
    {
        if (eventId is null || IdShape().Match(eventId) is not { Success: true } id)
        {
            return null;
        }

        var millisecond = long.Parse(id.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        var sequence = uint.Parse(id.Groups[2].ValueSpan, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (LastMillisecond - millisecond).ToString("D13", CultureInfo.InvariantCulture)
            + (LastSequence - sequence).ToString("x8", CultureInfo.InvariantCulture) + id.Groups[3].Value;
    }

    /// <summary>Every row key of an event at or after <paramref name="at"/> sorts below this.</summary>
    public static string Since(DateTimeOffset at) =>
        (LastMillisecond - at.ToUnixTimeMilliseconds() + 1).ToString("D13", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^evt_([0-9]{13})([0-9a-f]{8})([0-9a-f]{8})\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdShape();
}
