using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Tests.Pipeline;

namespace StreamingFeatures.Tests.Checkpoints;

/// <summary>The store derives its instance and table id from the target's full table name.</summary>
[TestClass]
public sealed class BigtableCheckpointStoreTests
{
    [TestMethod]
    public void Constructor_TableNamedInFull_AddressesThatTableAndRow()
    {
        var target = new BigtableTarget(new FakeBigtableInvoker(), "projects/p/instances/i/tables/ckpt", "batch");

        var store = new BigtableCheckpointStore(target, new FakeBigtableInvoker(), "job-1");

        Assert.AreEqual("projects/p/instances/i/tables/ckpt", store.TableName);
        Assert.AreEqual("projects/p/instances/i/tables/ckpt row 'job-1'", store.Description);
    }

    [TestMethod]
    [DataRow("ckpt")]
    [DataRow("/tables/ckpt")]
    [DataRow("projects/p/instances/i/tables/")]
    public void Constructor_TableNotNamedInFull_ThrowsNamingIt(string tableName)
    {
        var target = new BigtableTarget(new FakeBigtableInvoker(), tableName);

        var error = Assert.ThrowsExactly<ArgumentException>(() => new BigtableCheckpointStore(target, new FakeBigtableInvoker(), "job-1"));

        StringAssert.Contains(error.Message, $"'{tableName}'");
    }
}
