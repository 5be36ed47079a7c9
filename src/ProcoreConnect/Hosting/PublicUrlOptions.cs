using System.ComponentModel.DataAnnotations;

namespace ProcoreConnect.Hosting;

/// <summary>
/// Where the service is reached from outside. Every URL it hands out (the OAuth callback, a
/// Procore hook's delivery URL, connect links) is built from <see cref="PublicBaseUrl"/>, never
/// from a request: behind the Functions host a request arrives as http on loopback, and a caller
/// chooses its own Host header.
/// </summary>
public sealed class PublicUrlOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Service";

    /// <summary>The service's public origin, e.g. <c>https://procore-connect.azurewebsites.net</c> (https; http only for loopback).</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://127.0.0.1:7071");

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var url = PublicBaseUrl;
        if (url is null || !url.IsAbsoluteUri || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo)
            || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            yield return new ValidationResult(
                "Service:PublicBaseUrl must be an absolute https URL (http only on loopback) without query, fragment or credentials.", [nameof(PublicBaseUrl)]);
        }
    }
}
