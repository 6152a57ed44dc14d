using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

/// <summary>The read session's Avro schema in a checkpoint: kept for Avro sessions, absent (and not required) for Arrow ones.</summary>
[TestClass]
public sealed class ReadSessionCheckpointAvroTests
{
    private const string AvroSchema = """{"type":"record","name":"__root__","fields":[{"name":"id","type":"string"},{"name":"n","type":["null","long"]}]}""";

    [TestMethod]
    public void ToJson_FromJson_AvroSession_KeepsTheSchemaText()
    {
        var original = new MigrationCheckpoint { Session = new ReadSessionCheckpoint("s", ["s/streams/0"], "", null, 10, AvroSchema) };

        MigrationCheckpoint back = MigrationCheckpoint.FromJson(original.ToJson(), "test");

        Assert.AreEqual(AvroSchema, back.Session!.AvroSchema);
        Assert.AreEqual("", back.Session.ArrowSchemaBase64);
    }

    [TestMethod]
    public void ToJson_ArrowSession_WritesNoAvroSchema()
    {
        var checkpoint = new MigrationCheckpoint { Session = new ReadSessionCheckpoint("s", ["s/streams/0"], "AAEC", null, 10) };

        Assert.DoesNotContain("avroSchema", checkpoint.ToJson());
    }

    [TestMethod]
    public void FromJson_CheckpointFromBeforeAvro_LoadsAsArrow()
    {
        const string json = """
            {
              "format": 1,
              "job": { "source": "sample" },
              "sequence": 7,
              "session": {
                "name": "projects/p/locations/us/sessions/abc",
                "streams": [ "projects/p/locations/us/sessions/abc/streams/0" ],
                "arrowSchemaBase64": "AAECAw==",
                "expireTime": "2026-01-02T09:04:05+00:00",
                "estimatedRowCount": 1000
              },
              "partitions": [ { "partition": 0, "offset": 5, "stats": {} } ]
            }
            """;

        MigrationCheckpoint checkpoint = MigrationCheckpoint.FromJson(json, "old.json");

        Assert.IsNull(checkpoint.Session!.AvroSchema);
        Assert.AreEqual("AAECAw==", checkpoint.Session.ArrowSchemaBase64);
        Assert.AreEqual(1000, checkpoint.Session.EstimatedRowCount);
        Assert.AreEqual(5, checkpoint.Partitions[0].Offset);
    }
}
