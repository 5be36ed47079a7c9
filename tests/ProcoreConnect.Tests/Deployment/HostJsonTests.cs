using System.Globalization;
using System.Text.Json.Nodes;
using ProcoreConnect.Hosting;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>
/// host.json's queue settings, as the host's queue trigger reads them (QueuesOptions in
/// Azure/azure-sdk-for-net, Microsoft.Azure.WebJobs.Extensions.Storage.Common): the same tries and
/// back-off as the local queue worker, and as many messages in flight per instance as the refresh
/// concurrency can use.
/// </summary>
public sealed class HostJsonTests
{
    private static readonly JsonNode Queues = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")))!["extensions"]!["queues"]!;

    [Fact]
    public void A_failed_message_is_tried_as_often_and_as_late_as_the_local_worker_tries_it()
    {
        var local = new RefreshOptions();

        Assert.Equal(local.MaxDequeueCount, (int)Queues["maxDequeueCount"]!);
        var backOff = TimeSpan.Parse((string)Queues["visibilityTimeout"]!, CultureInfo.InvariantCulture);
        Assert.Equal(local.RetryDelay, backOff);
        // The host's default is zero: the failed message at once again, while what failed it still fails.
        Assert.True(backOff >= TimeSpan.FromSeconds(30), $"visibilityTimeout {backOff} is no back-off");
    }

    [Fact]
    public void Messages_in_flight_per_instance_are_what_the_refresh_concurrency_can_use_plus_one()
    {
        // At most batchSize + newBatchThreshold messages run at once on an instance (QueuesOptions),
        // and the scale controller counts that many per instance (QueueTargetScaler). Their refreshes
        // share Refresh:MaxConcurrency (RefreshSlots): enough messages to fill it, and one more whose
        // leases are taken while the others finish, as the local worker runs them.
        var local = new RefreshOptions();
        var toFill = (local.MaxConcurrency + local.EntriesPerMessage - 1) / local.EntriesPerMessage;

        Assert.Equal(toFill + 1, (int)Queues["batchSize"]! + (int)Queues["newBatchThreshold"]!);
    }

    [Fact]
    public void The_poison_queue_function_listens_where_the_host_moves_the_refresh_queues_failed_messages()
    {
        var refresh = FunctionJsonWriter.Build(AppEndpoints.Functions.Single(f => f.Name == "RefreshWorkspace"))["bindings"]![0]!;
        var poisoned = FunctionJsonWriter.Build(AppEndpoints.Functions.Single(f => f.Name == "RefreshPoisoned"))["bindings"]![0]!;

        Assert.Equal((string?)refresh["queueName"] + "-poison", (string?)poisoned["queueName"]);
        Assert.Equal((string?)refresh["connection"], (string?)poisoned["connection"]);
        Assert.Equal("queueTrigger", (string?)poisoned["type"]);
    }
}
