using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ProcoreConnect.Http;

/// <summary>The paging parameters of list endpoints: <c>pageSize</c> and an opaque <c>continuationToken</c>.</summary>
public static class Paging
{
    /// <summary>Largest page a list returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Page size when none is asked for.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The page size and the storage token, or the problem naming the parameter that is wrong.</summary>
    public static (int Size, string? StorageToken, ValidationProblem? Problem) Read(string? pageSize, string? continuationToken)
    {
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size is < 1 or > MaxPageSize))
        {
            return (0, null, Problems.Field("pageSize", $"Must be an integer from 1 to {MaxPageSize}."));
        }

        string? storageToken = null;
        if (continuationToken is not null && !TryDecode(continuationToken, out storageToken))
        {
            return (0, null, Problems.Field("continuationToken", "Not a token this API returned."));
        }

        return (size, storageToken, null);
    }

    /// <summary>The token handed to callers for a storage continuation token (opaque, URL-safe).</summary>
    public static string? Encode(string? storageToken) =>
        storageToken is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(storageToken));

    private static bool TryDecode(string token, out string? decoded)
    {
        decoded = null;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            return decoded.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
