using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>
/// <c>infra/main.bicep</c> compiled to ARM JSON by the Bicep CLI (scripts/bicep.sh), and what a
/// deployment of it with given parameters would create: resource conditions, loops, variables and
/// template expressions are evaluated. Only the part of ARM's expression language the template uses
/// is implemented; values known only in Azure (<c>reference()</c>, <c>uniqueString()</c>, …) become
/// <see cref="Runtime"/>, and inside strings the text <c>{runtime}</c>.
/// </summary>
public sealed class ArmTemplate
{
    /// <summary>The value of anything Azure computes at deployment time.</summary>
    public const string Runtime = "{runtime}";

    private static readonly StartedOnce<JsonObject> Compiled = new(Compile);

    private readonly JsonObject _template;
    private readonly IReadOnlyDictionary<string, JsonNode?> _parameters;
    private readonly Dictionary<string, object?> _variables = [];
    private readonly Dictionary<string, int> _copyIndex = [];

    private ArmTemplate(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters)
    {
        _template = template;
        _parameters = parameters;
    }

    /// <summary>
    /// The template deployed with <paramref name="parameters"/>; the others take their defaults, and
    /// the azd environment name (required) is <c>test</c>.
    /// </summary>
    public static ArmTemplate Deploy(IReadOnlyDictionary<string, JsonNode?>? parameters = null)
    {
        var given = new Dictionary<string, JsonNode?>(parameters ?? new Dictionary<string, JsonNode?>());
        given.TryAdd("environmentName", "test");
        return new(Compiled.Value, given);
    }

    /// <summary>The template's parameter names.</summary>
    public static IReadOnlyList<string> ParameterNames =>
        [.. Compiled.Value["parameters"]!.AsObject().Select(p => p.Key)];

    /// <summary>Every resource the deployment creates, its expressions evaluated.</summary>
    public IReadOnlyList<JsonObject> Resources()
    {
        var resources = _template["resources"] switch
        {
            JsonArray list => list.Select(r => r!.AsObject()),
            JsonObject symbolic => symbolic.Select(r => r.Value!.AsObject()),
            _ => [],
        };
        var created = new List<JsonObject>();
        foreach (var resource in resources)
        {
            if (resource["copy"] is JsonObject loop)
            {
                var name = loop["name"]!.GetValue<string>();
                var count = Convert.ToInt32(Evaluate(loop["count"]), CultureInfo.InvariantCulture);
                for (var i = 0; i < count; i++)
                {
                    _copyIndex[name] = i;
                    AddIfCreated(resource, created);
                }

                _copyIndex.Remove(name);
            }
            else
            {
                AddIfCreated(resource, created);
            }
        }

        return created;
    }

    /// <summary>The resources of one type.</summary>
    public IReadOnlyList<JsonObject> Resources(string type) =>
        [.. Resources().Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The one function app's app settings, name to value.</summary>
    public IReadOnlyDictionary<string, string?> AppSettings() =>
        Resources("Microsoft.Web/sites").Single()["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => s!["value"]?.ToString(), StringComparer.Ordinal);

    private void AddIfCreated(JsonObject resource, List<JsonObject> created)
    {
        if (resource["condition"] is { } condition && Evaluate(condition) is not true)
        {
            return;
        }

        created.Add(ToNode(Evaluate(resource))!.AsObject());
    }

    private static JsonObject Compile()
    {
        var start = new ProcessStartInfo("bash", ["scripts/bicep.sh", "build", "infra/main.bicep", "--stdout"])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build exited with code {process.ExitCode}: " + error.Result);
        }

        return JsonNode.Parse(json)!.AsObject();
    }

    // Values: string, long, bool, null, List<object?>, Dictionary<string, object?>, or Opaque.
    private object? Evaluate(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray a => a.Select(Evaluate).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s.StartsWith('[') && !s.StartsWith("[[", StringComparison.Ordinal) && s.EndsWith(']')
            ? new Expression(s[1..^1], this).Parse()
            : s.StartsWith("[[", StringComparison.Ordinal) ? s[1..] : s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => (long)i,
        _ => throw new InvalidOperationException($"Unexpected JSON {node}."),
    };

    private object? Variable(string name)
    {
        if (_variables.TryGetValue(name, out var known))
        {
            return known;
        }

        var variables = _template["variables"]!.AsObject();
        object? value;
        if (variables[name] is { } declared)
        {
            value = Evaluate(declared);
        }
        else
        {
            // A for-expression: "copy": [{ "name", "count", "input" }].
            var loop = variables["copy"]!.AsArray().Single(c => (string?)c!["name"] == name)!;
            var items = new List<object?>();
            var count = Convert.ToInt32(Evaluate(loop["count"]), CultureInfo.InvariantCulture);
            for (var i = 0; i < count; i++)
            {
                _copyIndex[name] = i;
                items.Add(Evaluate(loop["input"]));
            }

            _copyIndex.Remove(name);
            value = items;
        }

        _variables[name] = value;
        return value;
    }

    private object? Parameter(string name)
    {
        if (_parameters.TryGetValue(name, out var given))
        {
            return Evaluate(given);
        }

        var declared = _template["parameters"]![name] ?? throw new InvalidOperationException($"No parameter {name}.");
        return declared["defaultValue"] is { } fallback ? Evaluate(fallback) : throw new InvalidOperationException($"Parameter {name} needs a value.");
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        Opaque => JsonValue.Create(Runtime),
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        List<object?> list => new JsonArray([.. list.Select(ToNode)]),
        Dictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToNode(p.Value)))),
        _ => throw new InvalidOperationException($"Unexpected value {value}."),
    };

    private static string Text(object? value) => value switch
    {
        null => "",
        Opaque => Runtime,
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(ToNode(value)),
    };

    private sealed class Opaque
    {
        public static readonly Opaque Value = new();
    }

    /// <summary>A recursive-descent reader of one template expression.</summary>
    private sealed class Expression(string text, ArmTemplate template)
    {
        private int _at;

        public object? Parse()
        {
            var value = Primary();
            Skip();
            return _at == text.Length ? value : throw Error("trailing text");
        }

        private object? Primary()
        {
            Skip();
            object? value;
            if (text[_at] == '\'')
            {
                value = StringLiteral();
            }
            else if (char.IsDigit(text[_at]) || text[_at] == '-')
            {
                var start = _at++;
                while (_at < text.Length && char.IsDigit(text[_at]))
                {
                    _at++;
                }

                value = long.Parse(text[start.._at], CultureInfo.InvariantCulture);
            }
            else
            {
                var name = Identifier();
                Expect('(');
                var args = new List<object?>();
                Skip();
                while (text[_at] != ')')
                {
                    args.Add(Primary());
                    Skip();
                    if (text[_at] == ',')
                    {
                        _at++;
                    }
                }

                _at++;
                value = Call(name, args);
            }

            return Accessors(value);
        }

        private object? Accessors(object? value)
        {
            while (true)
            {
                Skip();
                if (_at < text.Length && text[_at] == '.')
                {
                    _at++;
                    var member = Identifier();
                    value = value is Dictionary<string, object?> map ? map.GetValueOrDefault(member) : Opaque.Value;
                }
                else if (_at < text.Length && text[_at] == '[')
                {
                    _at++;
                    var index = Primary();
                    Expect(']');
                    value = (value, index) switch
                    {
                        (List<object?> list, long i) => list[(int)i],
                        (Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key),
                        _ => Opaque.Value,
                    };
                }
                else
                {
                    return value;
                }
            }
        }

        private object? Call(string name, List<object?> args) => name.ToLowerInvariant() switch
        {
            "parameters" => template.Parameter((string)args[0]!),
            "variables" => template.Variable((string)args[0]!),
            "copyindex" => (long)(args.Count > 0 && args[0] is string loop ? template._copyIndex[loop] : template._copyIndex.Values.Single()),
            "createarray" => args,
            "createobject" => Enumerable.Range(0, args.Count / 2).ToDictionary(i => (string)args[2 * i]!, i => args[(2 * i) + 1], StringComparer.OrdinalIgnoreCase),
            "concat" when args.All(a => a is List<object?> or null) => args.SelectMany(a => (List<object?>?)a ?? []).ToList(),
            "concat" => string.Concat(args.Select(Text)),
            "union" when args.All(a => a is Dictionary<string, object?>) =>
                args.Cast<Dictionary<string, object?>>().SelectMany(m => m).GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase),
            "if" => args[0] is bool condition ? (condition ? args[1] : args[2]) : Opaque.Value,
            "equals" => args[0] is Opaque || args[1] is Opaque ? Opaque.Value : Equals(args[0], args[1]),
            "not" => args[0] is bool b ? !b : Opaque.Value,
            "and" => args.All(a => a is bool) ? args.All(a => (bool)a!) : Opaque.Value,
            "or" => args.All(a => a is bool) ? args.Any(a => (bool)a!) : Opaque.Value,
            "null" => null,
            "true" => true,
            "false" => false,
            "length" => args[0] switch
            {
                List<object?> list => (long)list.Count,
                string s => (long)s.Length,
                _ => Opaque.Value,
            },
            "empty" => args[0] switch
            {
                null => true,
                List<object?> list => list.Count == 0,
                string s => s.Length == 0,
                Dictionary<string, object?> map => map.Count == 0,
                _ => Opaque.Value,
            },
            "string" => Text(args[0]),
            "format" => string.Format(CultureInfo.InvariantCulture, Text(args[0]), [.. args.Skip(1).Select(Text)]),
            "tolower" => Text(args[0]).ToLowerInvariant(),
            "take" when args[0] is string s && args[1] is long n => s[..(int)Math.Min(n, s.Length)],
            // Ids keep their type and names, behind the part only Azure knows.
            "resourceid" or "subscriptionresourceid" => $"{Runtime}/providers/{Text(args[0])}/{string.Join('/', args.Skip(1).Select(Text))}",
            _ => Opaque.Value,
        };

        private string StringLiteral()
        {
            var value = new System.Text.StringBuilder();
            _at++;
            while (true)
            {
                if (text[_at] == '\'')
                {
                    if (_at + 1 < text.Length && text[_at + 1] == '\'')
                    {
                        value.Append('\'');
                        _at += 2;
                        continue;
                    }

                    _at++;
                    return value.ToString();
                }

                value.Append(text[_at++]);
            }
        }

        private string Identifier()
        {
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_'))
            {
                _at++;
            }

            return _at > start ? text[start.._at] : throw Error("identifier expected");
        }

        private void Expect(char c)
        {
            Skip();
            if (_at >= text.Length || text[_at] != c)
            {
                throw Error($"'{c}' expected");
            }

            _at++;
        }

        private void Skip()
        {
            while (_at < text.Length && text[_at] == ' ')
            {
                _at++;
            }
        }

        private InvalidOperationException Error(string what) => new($"{what} at {_at} in [{text}]");
    }
}
