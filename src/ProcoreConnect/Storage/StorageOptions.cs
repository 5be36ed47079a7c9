namespace ProcoreConnect.Storage;

/// <summary>Where the tables live.</summary>
public sealed class StorageOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Storage";

    /// <summary>
    /// A connection string; the default is Azurite on its standard ports. Ignored when
    /// <see cref="TableServiceUri"/> is set.
    /// </summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>In Azure: the table endpoint, reached with the managed identity instead of a key.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>In Azure: the queue endpoint, reached with the managed identity (the refresh queue).</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Prepended to every table name, so several deployments (or test runs) can share an account.</summary>
    public string TablePrefix { get; set; } = "";
}
