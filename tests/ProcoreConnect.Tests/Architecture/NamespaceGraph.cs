using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace ProcoreConnect.Tests.Architecture;

/// <summary>
/// Which feature namespace uses which (a feature is the first segment after the root, so
/// <c>Root.Tokens.X</c> is <c>Tokens</c>), with the types that make each edge, and the circles
/// among them.
/// </summary>
public sealed class NamespaceGraph
{
    private const int ReasonsShown = 3;

    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    /// <summary>
    /// The graph of <paramref name="assembly"/>'s compiled code: every reference a type's signatures,
    /// fields, attributes or method bodies (lambdas and async methods included) make to another type.
    /// Constants are copied into the IL where they are used, so a reference to a <c>const</c> alone is
    /// not seen.
    /// </summary>
    public static NamespaceGraph Of(System.Reflection.Assembly assembly, string root)
    {
        var graph = new NamespaceGraph();
        var architecture = new ArchLoader().LoadAssemblies(assembly).Build();
        foreach (var type in architecture.Types)
        {
            if (FeatureOf(type.Namespace?.FullName, root) is not { } from)
            {
                continue;
            }

            foreach (var dependency in type.Dependencies)
            {
                // A generic parameter stands for whatever fills it; the generic type or method that
                // declares it is a dependency of its own.
                if (dependency.Target is GenericParameter
                    || FeatureOf(dependency.Target.Namespace?.FullName, root) is not { } to
                    || to == from)
                {
                    continue;
                }

                graph.Add(from, to, $"{Declared(type.FullName, root)} -> {Declared(dependency.Target.FullName, root)}");
            }
        }

        return graph;
    }

    /// <summary>Records that <paramref name="from"/> uses <paramref name="to"/>, <paramref name="because"/> (e.g. <c>A.X -> B.Y</c>).</summary>
    public void Add(string from, string to, string because)
    {
        if (!_edges.TryGetValue(from, out var targets))
        {
            _edges[from] = targets = new(StringComparer.Ordinal);
        }

        if (!targets.TryGetValue(to, out var reasons))
        {
            targets[to] = reasons = new(StringComparer.Ordinal);
        }

        reasons.Add(because);
    }

    /// <summary>The namespaces <paramref name="from"/> uses.</summary>
    public IReadOnlyCollection<string> Targets(string from) =>
        _edges.TryGetValue(from, out var targets) ? targets.Keys : [];

    /// <summary>The groups of namespaces that all reach each other (each sorted), the largest first.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Knots() =>
        [.. StronglyConnectedComponents().Where(c => c.Count > 1)
            .Select(c => (IReadOnlyList<string>)[.. c.Order(StringComparer.Ordinal)])
            .OrderByDescending(c => c.Count).ThenBy(c => c[0], StringComparer.Ordinal)];

    /// <summary>
    /// The circles: for every namespace caught in one, the shortest circle through it, each listed
    /// once, starting from its alphabetically first namespace.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Circles()
    {
        var circles = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var component in StronglyConnectedComponents().Where(c => c.Count > 1))
        {
            foreach (var start in component)
            {
                var circle = ShortestCircleThrough(start, component);
                var first = circle.IndexOf(circle.Min(StringComparer.Ordinal)!);
                List<string> rotated = [.. circle.Skip(first), .. circle.Take(first)];
                circles.TryAdd(string.Join(" -> ", rotated), rotated);
            }
        }

        return [.. circles.Values];
    }

    /// <summary><c>A -> B -> A</c>, then for each step the types that make it.</summary>
    public string Describe(IReadOnlyList<string> circle)
    {
        var text = new System.Text.StringBuilder(string.Join(" -> ", circle.Append(circle[0])));
        for (var i = 0; i < circle.Count; i++)
        {
            var (from, to) = (circle[i], circle[(i + 1) % circle.Count]);
            var reasons = _edges[from][to];
            text.Append($"\n    {from} -> {to}: {string.Join("; ", reasons.Take(ReasonsShown))}");
            if (reasons.Count > ReasonsShown)
            {
                text.Append($" (and {reasons.Count - ReasonsShown} more)");
            }
        }

        return text.ToString();
    }

    private static string? FeatureOf(string? ns, string root) =>
        ns is not null && ns.StartsWith(root + ".", StringComparison.Ordinal) ? ns[(root.Length + 1)..].Split('.')[0] : null;

    private static string Declared(string fullName, string root) => fullName.Split('+')[0][(root.Length + 1)..];

    private List<string> ShortestCircleThrough(string start, HashSet<string> within)
    {
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var at))
        {
            foreach (var next in Targets(at).Where(within.Contains))
            {
                if (next == start)
                {
                    var path = new List<string> { at };
                    while (path[^1] != start)
                    {
                        path.Add(cameFrom[path[^1]]);
                    }

                    path.Reverse();
                    return path;
                }

                if (cameFrom.TryAdd(next, at))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException($"{start} is in a strongly connected component but on no circle.");
    }

    // Tarjan's algorithm: namespaces that reach each other, directly or through others.
    private List<HashSet<string>> StronglyConnectedComponents()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<HashSet<string>>();
        var nodes = _edges.Keys.Concat(_edges.Values.SelectMany(t => t.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return components;

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in Targets(node))
            {
                if (!index.TryGetValue(next, out var seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var component = new HashSet<string>(StringComparer.Ordinal);
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);

                components.Add(component);
            }
        }
    }
}
