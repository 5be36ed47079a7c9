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

    /// <summary>The page size and the storage token, or the problem naming every parameter that is wrong.</summary>
    public static (int Size, string? StorageToken, ValidationProblem? Problem) Read(string? pageSize, string? continuationToken)
    {
        var size = DefaultPageSize;
        var badSize = pageSize is not null && (!int.TryParse(pageSize, out size) || size is < 1 or > MaxPageSize);
        string? storageToken = null;
        var badToken = continuationToken is not null && !TryDecode(continuationToken, out storageToken);
        var problem = Problems.All(
            badSize ? Problems.Field("pageSize", $"Must be an integer from 1 to {MaxPageSize}.") : null,
            badToken ? Problems.Field("continuationToken", "Not a token this API returned.") : null);
        return problem is null ? (size, storageToken, null) : (0, null, problem);
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
