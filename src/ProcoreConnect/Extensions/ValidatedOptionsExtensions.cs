using Microsoft.Extensions.Options;

namespace ProcoreConnect.Extensions;

/// <summary>Options checked before the server starts.</summary>
public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Validates the options on start with <paramref name="validator"/>, an <c>[OptionsValidator]</c>:
    /// the data-annotation validator reads every property by reflection at start-up.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateOnStartWith<TOptions>(this OptionsBuilder<TOptions> options, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        options.Services.AddSingleton(validator);
        return options.ValidateOnStart();
    }

    /// <summary>
    /// Stops the app from starting when one of <paramref name="keys"/> is present but empty. The
    /// generated binder leaves the default in place for an empty value, so without this an app
    /// setting left blank by mistake would quietly become, say, a loopback public URL or Procore's
    /// production login host.
    /// </summary>
    public static OptionsBuilder<TOptions> RejectEmptySettings<TOptions>(this OptionsBuilder<TOptions> options, params string[] keys)
        where TOptions : class
    {
        options.Services.AddSingleton<IValidateOptions<TOptions>>(sp => new EmptySettingsValidator<TOptions>(sp.GetRequiredService<IConfiguration>(), keys));
        return options.ValidateOnStart();
    }

    private sealed class EmptySettingsValidator<TOptions>(IConfiguration configuration, string[] keys) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var empty = keys.Where(k => configuration[k] is { } value && string.IsNullOrWhiteSpace(value)).ToList();
            return empty.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(empty.Select(k => $"{k} is set but empty: give it a value, or remove the setting to use the default."));
        }
    }
}
