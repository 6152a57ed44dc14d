using Google.Cloud.BigQuery.Storage.V1;
using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.Bigtable.V2;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;

namespace StreamingFeatures.Tests.GoogleApis;

/// <summary>The generated code is Google's API under the official namespaces, with clients and server bases.</summary>
[TestClass]
public sealed class GeneratedClientsTests
{
    [TestMethod]
    [DataRow(typeof(Google.Cloud.Bigtable.V2.Bigtable), "google.bigtable.v2.Bigtable", "MutateRows")]
    [DataRow(typeof(BigtableTableAdmin), "google.bigtable.admin.v2.BigtableTableAdmin", "CreateTable")]
    [DataRow(typeof(BigQueryRead), "google.cloud.bigquery.storage.v1.BigQueryRead", "SplitReadStream")]
    [DataRow(typeof(Subscriber), "google.pubsub.v1.Subscriber", "StreamingPull")]
    [DataRow(typeof(Publisher), "google.pubsub.v1.Publisher", "Publish")]
    public void Service_HasOfficialNameClientAndServerBase(System.Type service, string fullName, string method)
    {
        var descriptor = (Google.Protobuf.Reflection.ServiceDescriptor)service.GetProperty("Descriptor")!.GetValue(null)!;

        Assert.AreEqual(fullName, descriptor.FullName);
        Assert.IsNotNull(descriptor.FindMethodByName(method), $"{fullName} lacks {method}");
        Assert.IsNotNull(service.GetNestedType(service.Name + "Client"), $"{service.Name} has no client");
        Assert.IsNotNull(service.GetNestedType(service.Name + "Base"), $"{service.Name} has no server base");
    }

    [TestMethod]
    public void MutateRowsRequest_WireRoundTrip_KeepsEveryField()
    {
        var request = new MutateRowsRequest
        {
            TableName = "projects/p/instances/i/tables/t",
            AppProfileId = "batch",
            Entries =
            {
                new MutateRowsRequest.Types.Entry
                {
                    RowKey = ByteString.CopyFromUtf8("07#user-42"),
                    Mutations =
                    {
                        new Mutation
                        {
                            SetCell = new Mutation.Types.SetCell
                            {
                                FamilyName = "f",
                                ColumnQualifier = ByteString.CopyFromUtf8("clicks"),
                                TimestampMicros = 1_700_000_000_000_000,
                                Value = ByteString.CopyFrom(0, 0, 0, 0, 0, 0, 0, 42),
                            },
                        },
                    },
                },
            },
        };

        MutateRowsRequest parsed = MutateRowsRequest.Parser.ParseFrom(request.ToByteArray());

        Assert.AreEqual(request, parsed);
        Assert.AreEqual(1_700_000_000_000_000, parsed.Entries[0].Mutations[0].SetCell.TimestampMicros);
    }

    [TestMethod]
    public void MutateRowsResponse_CarriesRateLimitInfo()
    {
        var response = new MutateRowsResponse
        {
            RateLimitInfo = new RateLimitInfo { Factor = 0.5, Period = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) },
        };

        Assert.AreEqual(0.5, MutateRowsResponse.Parser.ParseFrom(response.ToByteArray()).RateLimitInfo.Factor);
    }
}
