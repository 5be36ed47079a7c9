using Xunit.Abstractions;
using Xunit.Sdk;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>Why a test is left out of the fast lane (<c>scripts/test.sh --fast</c>).</summary>
public enum SlowKind
{
    /// <summary>Drives a real Chromium through chromedriver.</summary>
    Browser,

    /// <summary>Starts other processes: the app as its own process, dotnet publish, the Bicep CLI.</summary>
    Process,

    /// <summary>Runs thousands of requests or rows to show a property holds at scale.</summary>
    Scale,

    /// <summary>Injects faults or kills at every step of a protocol, over many iterations.</summary>
    Chaos,
}

/// <summary>
/// Marks a test class or method as slow: it gets the traits <c>Category=Slow</c> (the fast lane
/// filters on <c>Category!=Slow</c>) and <c>Slow=&lt;kind&gt;</c> (to run one kind alone).
/// </summary>
[TraitDiscoverer("ProcoreConnect.Tests.Infrastructure.SlowTraitDiscoverer", "ProcoreConnect.Tests")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SlowAttribute(SlowKind kind) : Attribute, ITraitAttribute
{
    /// <summary>Why the test is slow.</summary>
    public SlowKind Kind { get; } = kind;
}

/// <summary>Turns <see cref="SlowAttribute"/> into the traits test filters read.</summary>
public sealed class SlowTraitDiscoverer : ITraitDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        var kind = traitAttribute.GetConstructorArguments().Single();
        yield return new("Category", "Slow");
        yield return new("Slow", kind.ToString()!);
    }
}
