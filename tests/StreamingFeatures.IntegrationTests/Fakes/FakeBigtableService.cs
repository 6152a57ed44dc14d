using Google.Cloud.Bigtable.V2;
using Grpc.Core;

namespace StreamingFeatures.IntegrationTests.Fakes;

/// <summary>The gRPC face of <see cref="FakeBigtableServer"/>: MutateRows under its fault policy, ReadRows from its table.</summary>
internal sealed class FakeBigtableService(FakeBigtableServer server) : Google.Cloud.Bigtable.V2.Bigtable.BigtableBase
{
    public override Task MutateRows(MutateRowsRequest request, IServerStreamWriter<MutateRowsResponse> responseStream, ServerCallContext context) =>
        server.MutateRowsAsync(request, responseStream, context);

    public override async Task ReadRows(ReadRowsRequest request, IServerStreamWriter<ReadRowsResponse> responseStream, ServerCallContext context)
    {
        if (request.Filter is not null || request.Rows?.RowRanges.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "The fake Bigtable reads whole rows by key only."));
        }

        foreach (ReadRowsResponse response in server.Table.Read(request.Rows))
        {
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }
}
