using System.Globalization;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>Where a page of the call log starts: a chunk's row key and how many of its calls came before.</summary>
/// <param name="RowKey">The chunk's row key.</param>
/// <param name="Offset">Calls of the chunk already listed.</param>
public sealed record CallCursor(string RowKey, int Offset)
{
    // A chunk's row key: 19 digits, '-', 8 hex digits (ProcoreCallLog.ChunkKey).
    private const int KeyLength = 28;

    /// <summary>The cursor as the storage token <see cref="Http.Paging.Encode"/> wraps.</summary>
    public override string ToString() => RowKey + ":" + Offset.ToString(CultureInfo.InvariantCulture);

    /// <summary>The cursor a token names, or null when it is not one this API made.</summary>
    public static CallCursor? Parse(string token)
    {
        var parts = token.Split(':');
        return parts.Length == 2 && parts[0].Length == KeyLength && parts[0][19] == '-'
            && parts[0][..19].All(char.IsAsciiDigit) && parts[0][20..].All(char.IsAsciiHexDigitLower)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset <= 100_000
            ? new CallCursor(parts[0], offset)
            : null;
    }
}
