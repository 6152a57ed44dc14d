namespace StreamingFeatures.Emulators;

/// <summary>The official Google Cloud emulators the launchers know how to find and start.</summary>
public enum EmulatorKind
{
    /// <summary>cbtemulator, the Cloud Bigtable emulator (gcloud component <c>bigtable</c>).</summary>
    Bigtable,

    /// <summary>The Cloud Pub/Sub emulator, a Java program (gcloud component <c>pubsub-emulator</c>).</summary>
    PubSub,
}
