using Apache.Arrow;
using Apache.Arrow.Types;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.BigQuery;

/// <summary>Resume goes on reading a recorded session (Arrow or Avro) without a call; routing headers name the resource.</summary>
[TestClass]
public sealed class BigQueryStorageSourceResumeTests
{
    private const string Table = "projects/p/datasets/d/tables/t";
    private const string SessionName = "projects/p/locations/us/sessions/CAISDEF";
    private const string AvroSchema = """{"type": "record", "name": "__root__", "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": ["null", "string"]}]}""";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [TestMethod]
    [DataRow(-3600)]
    [DataRow(0)]
    public void Resume_SessionExpired_NamesSessionAndRestart(int expiresInSeconds)
    {
        BigQueryReadSessionInfo session = Session(_time.GetUtcNow().AddSeconds(expiresInSeconds));

        var error = Assert.ThrowsExactly<BigQuerySourceException>(() => BigQueryStorageSource.Resume(new NoCalls(), Options(), session, ArrowSchema()));

        StringAssert.Contains(error.Message, SessionName);
        StringAssert.Contains(error.Message, Table);
        StringAssert.Contains(error.Message, "--restart");
    }

    [TestMethod]
    public void Resume_SessionStillValid_KeepsSessionAndMapsSchema()
    {
        BigQueryReadSessionInfo session = Session(_time.GetUtcNow().AddSeconds(1));

        BigQueryStorageSource source = BigQueryStorageSource.Resume(new NoCalls(), Options(), session, ArrowSchema());

        Assert.AreSame(session, source.Session);
        Assert.AreEqual(5_000L, source.ExpectedRows);
        CollectionAssert.AreEqual(new[] { "id", "name" }, source.Schema.Fields.Select(f => f.Name).ToArray());
        CollectionAssert.AreEqual(new[] { ColumnType.Int64, ColumnType.String }, source.Schema.Fields.Select(f => f.Type).ToArray());
        StringAssert.Contains(source.Description, "2 streams");
    }

    [TestMethod]
    public void Resume_NoExpireTimeRecorded_Resumes()
    {
        BigQueryStorageSource source = BigQueryStorageSource.Resume(new NoCalls(), Options(), Session(null), ArrowSchema());

        Assert.AreEqual(SessionName, source.Session.Name);
    }

    [TestMethod]
    public void Resume_InvalidOptions_ArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => BigQueryStorageSource.Resume(new NoCalls(), Options() with { Table = "t" }, Session(null), ArrowSchema()));
    }

    [TestMethod]
    public void ResumeAvro_SessionStillValid_MapsTheAvroSchemaAndKeepsTheFormat()
    {
        BigQueryReadSessionInfo session = Session(_time.GetUtcNow().AddSeconds(1));

        BigQueryStorageSource source = BigQueryStorageSource.ResumeAvro(new NoCalls(), Options() with { DataFormat = BigQueryDataFormat.Avro }, session, AvroSchema);

        Assert.AreEqual(BigQueryDataFormat.Avro, source.DataFormat);
        Assert.AreEqual(AvroSchema, source.AvroSchema);
        Assert.IsTrue(source.ArrowSchema.IsEmpty);
        CollectionAssert.AreEqual(new[] { ("id", ColumnType.Int64, false), ("name", ColumnType.String, true) }, source.Schema.Fields.Select(f => (f.Name, f.Type, f.Nullable)).ToArray());
        StringAssert.Contains(source.Description, "Avro");
    }

    [TestMethod]
    public void ResumeAvro_SessionExpired_NamesSessionAndRestart()
    {
        BigQueryReadSessionInfo session = Session(_time.GetUtcNow());

        var error = Assert.ThrowsExactly<BigQuerySourceException>(() =>
            BigQueryStorageSource.ResumeAvro(new NoCalls(), Options() with { DataFormat = BigQueryDataFormat.Avro }, session, AvroSchema));

        StringAssert.Contains(error.Message, SessionName);
        StringAssert.Contains(error.Message, "--restart");
    }

    [TestMethod]
    public void Resume_FormatOtherThanTheSessions_ArgumentExceptionNamingBoth()
    {
        var arrowAsAvro = Assert.ThrowsExactly<ArgumentException>(() =>
            BigQueryStorageSource.Resume(new NoCalls(), Options() with { DataFormat = BigQueryDataFormat.Avro }, Session(null), ArrowSchema()));
        var avroAsArrow = Assert.ThrowsExactly<ArgumentException>(() =>
            BigQueryStorageSource.ResumeAvro(new NoCalls(), Options(), Session(null), AvroSchema));

        StringAssert.Contains(arrowAsAvro.Message, "DataFormat is Avro but the session");
        StringAssert.Contains(arrowAsAvro.Message, "created in Arrow format");
        StringAssert.Contains(avroAsArrow.Message, "DataFormat is Arrow but the session");
        StringAssert.Contains(avroAsArrow.Message, "created in Avro format");
    }

    [TestMethod]
    public void Validate_UndefinedDataFormat_NamesTheSetting()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => (Options() with { DataFormat = (BigQueryDataFormat)7 }).Validate());

        StringAssert.Contains(error.Message, "DataFormat is 7; allowed Arrow or Avro.");
    }

    [TestMethod]
    public void RoutingHeader_EscapesTheResourceName()
    {
        Metadata header = BigQueryStorageSource.RoutingHeader("read_stream", SessionName + "/streams/a b+c");

        Assert.HasCount(1, header);
        Assert.AreEqual("x-goog-request-params", header[0].Key);
        Assert.AreEqual("read_stream=projects%2Fp%2Flocations%2Fus%2Fsessions%2FCAISDEF%2Fstreams%2Fa%20b%2Bc", header[0].Value);
    }

    [TestMethod]
    public void RoutingHeader_SessionTable()
    {
        Metadata header = BigQueryStorageSource.RoutingHeader("read_session.table", Table);

        Assert.AreEqual("read_session.table=projects%2Fp%2Fdatasets%2Fd%2Ftables%2Ft", header.GetValue("x-goog-request-params"));
    }

    private BigQuerySourceOptions Options() => new() { Table = Table, TimeProvider = _time };

    private static BigQueryReadSessionInfo Session(DateTimeOffset? expires) =>
        new(SessionName, new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), [SessionName + "/streams/0", SessionName + "/streams/1"], expires, 5_000);

    private static ByteString ArrowSchema() => ByteString.CopyFrom(ArrowIpc.Schema(new Schema.Builder()
        .Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("name").DataType(StringType.Default).Nullable(true))
        .Build()));

    /// <summary>A channel stand-in for code that must make no call.</summary>
    private sealed class NoCalls : CallInvoker
    {
        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new AssertFailedException("no call expected");

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new AssertFailedException("no call expected");

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new AssertFailedException("no call expected");

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new AssertFailedException("no call expected");

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new AssertFailedException("no call expected");
    }
}
