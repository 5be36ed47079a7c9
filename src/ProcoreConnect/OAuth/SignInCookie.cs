using System.Security.Cryptography;
using System.Text;

namespace ProcoreConnect.OAuth;

/// <summary>
/// The cookie that ties a sign-in to the browser that started it (RFC 9700 §4.7.1): set when a
/// person presses Connect, checked by the callback before any code is exchanged. One cookie per
/// sign-in, named after its state, so two sign-ins in one browser do not undo each other.
/// </summary>
/// <remarks>
/// HttpOnly (no script reads it) and SameSite=Lax: Procore's redirect back is a top-level GET,
/// which carries Lax cookies, while another site's subrequests do not. Over https the cookie is
/// Secure and takes the <c>__Host-</c> prefix (no Domain, Path=/: no other host can set or
/// shadow it); browsers refuse that prefix without Secure, so a plain-http public URL (a local
/// run) gets the unprefixed name.
/// </remarks>
public static class SignInCookie
{
    private const string Stem = "pc-signin-";

    /// <summary>A new cookie value (256 random bits) and the hash the state keeps of it.</summary>
    public static (string Value, string Hash) New()
    {
        var value = Pkce.RandomValue();
        return (value, Hash(value));
    }

    /// <summary>The stored form of a cookie value: its SHA-256 in hex, never the value.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>The cookie's name for the sign-in with <paramref name="state"/>.</summary>
    public static string NameFor(string state, bool secure) =>
        (secure ? "__Host-" : "") + Stem + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)))[..16];

    /// <summary>True when <paramref name="request"/> carries the cookie whose hash the state holds.</summary>
    public static bool Matches(HttpRequest request, string state, string? expectedHash, bool secure) =>
        expectedHash is not null
        && request.Cookies.TryGetValue(NameFor(state, secure), out var value) && !string.IsNullOrEmpty(value)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(value)), Encoding.ASCII.GetBytes(expectedHash));

    /// <summary>The options the cookie is set (and removed) with.</summary>
    public static CookieOptions Options(bool secure, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = secure,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };
}
