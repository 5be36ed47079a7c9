using Microsoft.Extensions.Options;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;

namespace ProcoreConnect.OAuth;

/// <summary>Stops the app at start on an OAuth setting that would not do what it says.</summary>
public sealed class OAuthOptionsValidator : IValidateOptions<OAuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var environments = WireName.AllOf<ProcoreEnvironment>().ToList();
        failures.AddRange(options.PkceOffIn.Where(e => !environments.Contains(e, StringComparer.Ordinal))
            .Select(e => $"OAuth:PkceOffIn: '{e}' is not an environment; use {string.Join(", ", environments)}."));
        if (options.AllowedReturnOrigins.Count > 0)
        {
            failures.Add("OAuth:AllowedReturnOrigins is no longer read: each partner sets its own allowed return origins "
                + "(PUT /api/partner/settings). Remove the setting.");
        }

        if (options.StateLifetime < TimeSpan.FromMinutes(1) || options.StateLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("OAuth:StateLifetime must be between 00:01:00 and 01:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
