using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ProcoreConnect.OAuth;

/// <summary>RFC 7636 helpers and the random values of the flow.</summary>
public static class Pkce
{
    /// <summary>A URL-safe random value of <paramref name="bytes"/> bytes of entropy.</summary>
    public static string RandomValue(int bytes = 32) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>The S256 challenge of a verifier.</summary>
    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
