using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ProcoreConnect.Tests.Security;

/// <summary>
/// A record prints every property in its compiler-generated <c>ToString</c>, so a record holding a
/// token, key or secret prints it into whatever log, exception or debugger view it reaches. This
/// scans every type of the app's assembly instead of a list someone must remember to extend.
/// </summary>
public sealed partial class SecretRedactionTests(ITestOutputHelper output)
{
    // Names that suggest a secret value. Checked on string properties at any depth of the instance.
    [GeneratedRegex("Token|Secret|Key|Authorization|Password|Signature|Credential|Verifier", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    /// <summary>
    /// String properties whose name matches but whose value is an identifier, not a secret, each
    /// with the reason; anything else that matches must never be printed.
    /// </summary>
    private static readonly Dictionary<string, string> NotSecrets = new(StringComparer.Ordinal)
    {
        ["PartitionKey"] = "a Table Storage key: a workspace key, partner id or due time",
        ["RowKey"] = "a Table Storage key",
        ["KeyId"] = "the public half of a partner key (pck_<keyId>_…), listed to admins",
        ["WorkspaceKey"] = "the workspace's id and a random suffix, part of the public delivery URL",
        ["Workspace.Key"] = "the workspace's id and a random suffix, part of the public delivery URL",
        ["DeliveryKey"] = "Procore's delivery id (ulid or id)",
        ["ProcoreDelivery.Key"] = "Procore's delivery id (ulid or id), not a credential",
        ["TokenType"] = "always \"Bearer\"",
        ["SecretName"] = "a Key Vault secret's name (a reference)",
        ["SecretVersion"] = "a Key Vault secret's version (a reference)",
        ["TokenSecretName"] = "a Key Vault secret's name (a reference)",
        ["TokenSecretVersion"] = "a Key Vault secret's version (a reference)",
        ["ClientSecretName"] = "a Key Vault secret's name (a reference)",
        ["ClientSecretVersion"] = "a Key Vault secret's version (a reference)",
        ["ContinuationToken"] = "a paging cursor the caller was given",
        ["ClientGeneration"] = "which creation of an OAuth client a token belongs to",
        ["SecretPrefix"] = "the prefix of Key Vault secret names (a reference)",
        ["RefusedSecretVersion"] = "a Key Vault secret's version (a reference)",
    };

    /// <summary>Secrets whose property name says nothing: the OAuth state is a capability to finish a connect.</summary>
    private static readonly HashSet<string> AlsoSecrets = new(StringComparer.Ordinal) { "OAuthState.Value" };

    [Fact]
    public void No_type_in_the_app_prints_a_secret_in_ToString()
    {
        var scanned = new List<string>();
        var leaks = new List<string>();
        foreach (var type in typeof(Program).Assembly.GetTypes().Where(Scannable).Where(t => Properties(t).Any(p => SecretName().IsMatch(p.Name))))
        {
            var canaries = new Dictionary<string, string>(StringComparer.Ordinal);
            var instance = Create(type, canaries, depth: 0);
            var text = instance.ToString() ?? "";
            scanned.Add($"{type.Name} ({canaries.Count} secret values)");
            leaks.AddRange(canaries.Where(c => text.Contains(c.Value, StringComparison.Ordinal)).Select(c => $"{type.FullName} prints {c.Key}: {text}"));
        }

        output.WriteLine($"scanned {scanned.Count} types: {string.Join(", ", scanned)}");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        // The scan must have reached the records it exists for.
        Assert.Contains(scanned, s => s.StartsWith("ProcoreTokenResponse ", StringComparison.Ordinal));
        Assert.Contains(scanned, s => s.StartsWith("CreatedPartnerKey ", StringComparison.Ordinal));
        Assert.Contains(scanned, s => s.StartsWith("PartnerWebhookRegistration ", StringComparison.Ordinal));
        Assert.Contains(scanned, s => s.StartsWith("InboundHookSettings ", StringComparison.Ordinal));
    }

    private static bool Scannable(Type type) =>
        !type.IsAbstract && !type.IsInterface && !type.IsEnum && !type.ContainsGenericParameters
        && !typeof(Delegate).IsAssignableFrom(type) && !type.Name.Contains('<', StringComparison.Ordinal)
        && type.GetCustomAttribute<CompilerGeneratedAttribute>() is null;

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Where(p => p.GetIndexParameters().Length == 0);

    private static bool IsSecret(Type owner, PropertyInfo property) =>
        property.PropertyType == typeof(string)
        && (AlsoSecrets.Contains($"{owner.Name}.{property.Name}")
            || (SecretName().IsMatch(property.Name) && !NotSecrets.ContainsKey(property.Name) && !NotSecrets.ContainsKey($"{owner.Name}.{property.Name}")));

    /// <summary>
    /// An instance without running constructors (records with required members have none to call
    /// with recognisable values), every settable property given a value: a recognisable one for
    /// each secret, recorded in <paramref name="canaries"/>.
    /// </summary>
    private static object Create(Type type, Dictionary<string, string> canaries, int depth)
    {
        var instance = RuntimeHelpers.GetUninitializedObject(type);
        foreach (var property in Properties(type))
        {
            var setter = (MemberInfo?)property.SetMethod ?? BackingField(type, property);
            if (setter is null)
            {
                continue;
            }

            var value = IsSecret(type, property)
                ? canaries[$"{type.Name}.{property.Name}"] = $"canary-{property.Name}-{Guid.NewGuid():N}"
                : Value(property.PropertyType, property.Name, canaries, depth);
            Set(instance, property, setter, value);
        }

        return instance;
    }

    private static FieldInfo? BackingField(Type type, PropertyInfo property) =>
        type.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);

    private static void Set(object instance, PropertyInfo property, MemberInfo setter, object? value)
    {
        if (value is null && property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
        {
            return;
        }

        if (setter is FieldInfo field)
        {
            field.SetValue(instance, value);
        }
        else
        {
            property.SetValue(instance, value);
        }
    }

    private static object? Value(Type type, string name, Dictionary<string, string> canaries, int depth)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(string) => $"plain-{name}",
            _ when underlying == typeof(Uri) => new Uri("https://example.test/path"),
            _ when underlying == typeof(DateTimeOffset) => DateTimeOffset.UnixEpoch,
            _ when underlying == typeof(TimeSpan) => TimeSpan.FromSeconds(1),
            _ when underlying.IsEnum => Enum.GetValues(underlying).GetValue(0),
            _ when underlying.IsPrimitive || underlying == typeof(decimal) => Activator.CreateInstance(underlying),
            _ when underlying.IsArray => Array.CreateInstance(underlying.GetElementType()!, 0),
            _ when typeof(IEnumerable).IsAssignableFrom(underlying) => EmptyCollection(underlying),
            _ when underlying.Assembly == typeof(Program).Assembly && depth < 3 && Scannable(underlying) => Create(underlying, canaries, depth + 1),
            _ when underlying.IsValueType => Activator.CreateInstance(underlying),
            _ => null,
        };
    }

    private static object? EmptyCollection(Type type)
    {
        if (!type.IsInterface)
        {
            return type.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(type) : null;
        }

        var arguments = type.GetGenericArguments();
        return arguments.Length switch
        {
            1 => Array.CreateInstance(arguments[0], 0),
            2 => Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments)),
            _ => null,
        };
    }
}
