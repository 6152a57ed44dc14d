using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.IntegrationTests.Faults;

/// <summary>
/// Single Bigtable calls — provisioning and the checkpoint store — against the real emulator behind a proxy that
/// refuses connections: a call started during a short outage lands once it ends; one past its deadline names itself.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class BigtableCallOutageTests
{
    private static readonly string Instance = $"projects/{EmulatorFixture.Project}/instances/{EmulatorFixture.Instance}";

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    [DataRow(ProxyMode.Refuse)]
    [DataRow(ProxyMode.Stall)]
    public async Task EnsureTableAndCheckpoint_StartedDuringAnOutage_LandWhenItEnds(ProxyMode mode)
    {
        await using var proxy = FaultProxy.Start(EmulatorFixture.Bigtable.Endpoint);
        using GrpcChannel channel = Channel(proxy);
        string table = EmulatorFixture.UniqueName("prov");
        var featureSet = new FeatureSetOptions { Table = table, Families = { ["f"] = new ColumnFamilyOptions { MaxVersions = 1 } } };
        var store = new BigtableCheckpointStore(new BigtableTarget(channel.CreateCallInvoker(), $"{Instance}/tables/{EmulatorFixture.UniqueName("ckpt")}"), channel.CreateCallInvoker(), "job");
        var checkpoint = new MigrationCheckpoint { Sequence = 7, Runs = 1 };
        try
        {
            proxy.Set(mode);
            Task<bool> created = TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(channel), Instance, featureSet, Cancellation);
            Task saved = store.SaveAsync(checkpoint, Cancellation);
            await Task.Delay(TimeSpan.FromSeconds(3), Cancellation);
            Assert.IsFalse(created.IsCompleted || saved.IsCompleted, "nothing answers during the outage");
            proxy.Set(ProxyMode.Pass);

            Assert.IsTrue(await created.WaitAsync(TimeSpan.FromSeconds(30), Cancellation));
            await saved.WaitAsync(TimeSpan.FromSeconds(30), Cancellation);
            proxy.Set(mode);
            Task<MigrationCheckpoint?> loaded = store.LoadAsync(Cancellation);
            await Task.Delay(TimeSpan.FromSeconds(2), Cancellation);
            proxy.Set(ProxyMode.Pass);
            Assert.AreEqual(7, (await loaded.WaitAsync(TimeSpan.FromSeconds(30), Cancellation))!.Sequence);
            Assert.IsTrue(await TableProvisioner.ExistsAsync(new BigtableTableAdmin.BigtableTableAdminClient(channel), $"{Instance}/tables/{table}", Cancellation));
        }
        finally
        {
            proxy.Set(ProxyMode.Pass);
            using GrpcChannel direct = EmulatorFixture.Bigtable.CreateChannel();
            var admin = new BigtableTableAdmin.BigtableTableAdminClient(direct);
            await admin.DeleteTableAsync(new DeleteTableRequest { Name = $"{Instance}/tables/{table}" }, cancellationToken: CancellationToken.None);
            await admin.DeleteTableAsync(new DeleteTableRequest { Name = store.TableName }, cancellationToken: CancellationToken.None);
        }
    }

    [TestMethod]
    public async Task CheckpointSave_OutageLongerThanTheDeadline_FailsNamingTheCall()
    {
        await using var proxy = FaultProxy.Start(EmulatorFixture.Bigtable.Endpoint);
        using GrpcChannel channel = Channel(proxy);
        var retry = CallRetryOptions.Checkpoint.WithDeadline(TimeSpan.FromSeconds(2));
        var store = new BigtableCheckpointStore(new BigtableTarget(channel.CreateCallInvoker(), $"{Instance}/tables/never-created"), channel.CreateCallInvoker(), "job", retry: retry);
        proxy.Set(ProxyMode.Refuse);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        CheckpointException error = await Assert.ThrowsExactlyAsync<CheckpointException>(() => store.SaveAsync(new MigrationCheckpoint { Sequence = 1 }, Cancellation));

        Assert.IsLessThan(TimeSpan.FromSeconds(4), clock.Elapsed, "it gives up at its deadline");
        StringAssert.Matches(error.Message, new System.Text.RegularExpressions.Regex(@"Bigtable GetTable on table 'never-created' gave up after \d(\.\d)? s and \d+ attempts: Unavailable: "));
        Assert.IsInstanceOfType<CallGaveUpException>(error.InnerException);
    }

    private static GrpcChannel Channel(FaultProxy proxy) =>
        GrpcChannel.ForAddress("http://" + proxy.Endpoint, new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure });
}
