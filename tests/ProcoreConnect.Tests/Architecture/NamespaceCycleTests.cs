namespace ProcoreConnect.Tests.Architecture;

/// <summary>
/// No two feature namespaces of the service (Workspaces, Tokens, Clients, …) depend on each other
/// in a circle, directly or through others: the layering in docs/architecture.md holds.
/// </summary>
public sealed class NamespaceCycleTests
{
    // Not cached across tests on failure: a load that threw is tried again by the next test.
    private static readonly Lazy<NamespaceGraph> Service =
        new(() => NamespaceGraph.Of(typeof(Program).Assembly, "ProcoreConnect"), LazyThreadSafetyMode.PublicationOnly);

    [Fact]
    public void Feature_namespaces_depend_on_each_other_in_no_circle()
    {
        var graph = Service.Value;
        var circles = graph.Circles();

        Assert.True(circles.Count == 0,
            $"{circles.Count} circles between feature namespaces (move the type that closes each to the layer it belongs to; see docs/architecture.md).\n"
            + string.Join("\n", graph.Knots().Select(k => $"Reaching each other ({k.Count}): {string.Join(", ", k)}")) + "\n"
            + string.Join("\n", circles.Select(graph.Describe)));
    }

    [Fact]
    public void The_graph_sees_the_references_the_code_makes()
    {
        // Through a method body (TokenEligibility reads WorkspaceRepository) and through a record's
        // property (Workspace holds an OAuthClientRef): if these vanish, the loader sees nothing
        // and the test above passes for the wrong reason.
        Assert.Contains("Workspaces", Service.Value.Targets("Tokens"));
        Assert.Contains("Clients", Service.Value.Targets("Workspaces"));
    }

    [Fact]
    public void A_circle_through_others_is_found_and_named_with_the_types_that_close_it()
    {
        var graph = new NamespaceGraph();
        graph.Add("Tokens", "Workspaces", "Tokens.TokenReader -> Workspaces.Workspace");
        graph.Add("Workspaces", "Clients", "Workspaces.Workspace -> Clients.OAuthClientRef");
        graph.Add("Clients", "Tokens", "Clients.GrantChanges -> Tokens.TokenCache");
        graph.Add("Clients", "Procore", "Clients.OAuthClient -> Procore.ProcoreEnvironment");

        Assert.Equal(["Clients", "Tokens", "Workspaces"], Assert.Single(graph.Knots()));
        var circle = Assert.Single(graph.Circles());

        Assert.Equal(["Clients", "Tokens", "Workspaces"], circle);
        Assert.Equal(
            """
            Clients -> Tokens -> Workspaces -> Clients
                Clients -> Tokens: Clients.GrantChanges -> Tokens.TokenCache
                Tokens -> Workspaces: Tokens.TokenReader -> Workspaces.Workspace
                Workspaces -> Clients: Workspaces.Workspace -> Clients.OAuthClientRef
            """.ReplaceLineEndings("\n"),
            graph.Describe(circle));
    }
}
