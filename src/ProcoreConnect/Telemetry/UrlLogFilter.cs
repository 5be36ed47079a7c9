using Microsoft.Extensions.Options;

namespace ProcoreConnect.Telemetry;

/// <summary>
/// Holds the log categories whose records below Warning carry a request's URL with its query (a
/// proxied call's values, a sign-in's code) at Warning, whatever configuration says: YARP's
/// forwarder logs "Proxying to {url}" and ASP.NET Core's hosting "Request starting {url}" at
/// Information. Their Warnings name errors and exceptions, which carry no URL.
/// </summary>
public sealed class UrlLogFilter : IPostConfigureOptions<LoggerFilterOptions>
{
    /// <summary>The categories held at Warning.</summary>
    public static readonly IReadOnlyList<string> Categories =
    [
        "Yarp.ReverseProxy.Forwarder.HttpForwarder",
        "Microsoft.AspNetCore.Hosting.Diagnostics",
    ];

    /// <inheritdoc />
    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A logger takes its provider's rules before general ones, then the longest matching
        // category, the later of two equal: so a rule is added for every provider any rule names,
        // after them all, and a configured rule as long as the category (it or a wildcard) goes.
        var providers = options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList();
        foreach (var category in Categories)
        {
            foreach (var rule in options.Rules.Where(r => r.CategoryName is { } c && c.Length >= category.Length && Matches(c, category)).ToList())
            {
                options.Rules.Remove(rule);
            }

            foreach (var provider in providers)
            {
                options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, null));
            }
        }
    }

    // As Microsoft.Extensions.Logging's rule selector reads a category pattern: one '*' at most.
    private static bool Matches(string pattern, string category)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return category.StartsWith(pattern, StringComparison.OrdinalIgnoreCase);
        }

        var (prefix, suffix) = (pattern[..star], pattern[(star + 1)..]);
        return category.Length >= prefix.Length + suffix.Length
            && category.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && category.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}
