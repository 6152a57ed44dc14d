using System.Text.RegularExpressions;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>Reading and checking the settings.</summary>
internal sealed partial record IngestSettings
{
    /// <summary>
    /// The settings <paramref name="configuration"/> gives, with defaults for the rest, or every problem together:
    /// an unknown key, a value that does not parse or is out of range, a setting production needs and lacks.
    /// </summary>
    /// <exception cref="IngestConfigurationException">One or more settings are invalid; the message names each.</exception>
    public static IngestSettings Read(IngestConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var read = new IngestSettingBinder(configuration);
        foreach (string unknown in configuration.UnknownKeys())
        {
            read.Add(null, $"Unknown setting {unknown}; known: {string.Join(", ", IngestSetting.All.Select(s => s.Key))}.");
        }

        foreach (IngestSetting setting in IngestSetting.All.Where(configuration.IsNested))
        {
            read.Add(setting, $"{setting.Key} ({setting.Flag}) is an object or array ({configuration.Origin(setting)}); allowed one value, such as \"{setting.Key}\": \"...\".");
        }

        string? project = read.Text(IngestSetting.Project);
        bool local = read.Switch(IngestSetting.Local) || project is null;
        string namesProject = project ?? LocalProject;
        TimeSpan ackDeadline = read.Duration(IngestSetting.AckDeadline);
        var settings = new IngestSettings
        {
            Project = project,
            Instance = read.Text(IngestSetting.Instance),
            AppProfile = read.Text(IngestSetting.AppProfile),
            Table = read.Text(IngestSetting.Table),
            FeatureSetFile = read.Text(IngestSetting.FeatureSet),
            Subscription = ResourceName(read, IngestSetting.Subscription, "subscriptions", namesProject, local ? LocalSubscription : null) ?? "",
            DeadLetterTopic = ResourceName(read, IngestSetting.DeadLetterTopic, "topics", namesProject, local ? LocalDeadLetterTopic : null),
            Topic = ResourceName(read, IngestSetting.Topic, "topics", namesProject, LocalTopic)!,
            Local = local,
            NoCreate = read.Switch(IngestSetting.NoCreate),
            CredentialsFile = read.Text(IngestSetting.Credentials),
            Source = new PubSubSourceOptions
            {
                StreamCount = (int)read.Integer(IngestSetting.Streams),
                MaxOutstandingMessages = read.Integer(IngestSetting.MaxOutstandingMessages),
                MaxOutstandingBytes = read.Integer(IngestSetting.MaxOutstandingBytes),
                MaxMessageBytes = (int)read.Integer(IngestSetting.MaxRecordBytes),
                AckDeadline = ackDeadline,
                MaxTotalLeaseExtension = read.Duration(IngestSetting.MaxLeaseExtension, min: ackDeadline),
            },
            Batching = new BatchingOptions
            {
                MaxRows = (int)read.Integer(IngestSetting.BatchRows),
                MaxBytes = (int)read.Integer(IngestSetting.BatchBytes),
                Linger = read.Duration(IngestSetting.BatchLinger),
            },
            Writer = new BigtableWriterOptions { MaxRequestsInFlight = (int)read.Integer(IngestSetting.WriteRequests) },
            HttpPort = (int)read.Integer(IngestSetting.HttpPort),
            ShutdownTimeout = read.Duration(IngestSetting.ShutdownTimeout),
            SummaryInterval = read.Duration(IngestSetting.SummaryInterval),
            ProbeInterval = read.Duration(IngestSetting.ProbeInterval),
            OtlpEndpoint = Endpoint(read, IngestSetting.OtlpEndpoint),
            LogFormat = LogFormatOf(read),
            PublishRate = read.Number(IngestSetting.PublishRate),
            PublishKeys = read.Integer(IngestSetting.PublishKeys),
            Duration = read.OptionalDuration(IngestSetting.Duration),
        };

        if (!local)
        {
            Require(read, configuration, IngestSetting.Instance, "with --project, name the Bigtable instance");
            Require(read, configuration, IngestSetting.Subscription, "with --project, name the subscription to pull");
            if (settings.PublishRate > 0)
            {
                read.Fail(IngestSetting.PublishRate, "only in local mode (--local, or no --project): it publishes synthetic events to the emulator");
            }
        }

        if (read.Problems.Count > 0)
        {
            throw new IngestConfigurationException(string.Join(Environment.NewLine, read.Problems));
        }

        return settings;
    }

    private static void Require(IngestSettingBinder read, IngestConfiguration configuration, IngestSetting setting, string why)
    {
        if (read.Text(setting) is null)
        {
            read.Add(setting, $"{setting.Key} ({setting.Flag}) is not set ({configuration.Origin(setting)}); {why}.");
        }
    }

    /// <summary>A full name <c>projects/P/{kind}/N</c>, or a short name N completed with <paramref name="project"/>.</summary>
    private static string? ResourceName(IngestSettingBinder read, IngestSetting setting, string kind, string project, string? fallback)
    {
        string? text = read.Text(setting) ?? fallback;
        if (text is null)
        {
            return null;
        }

        if (ShortName().IsMatch(text))
        {
            return $"projects/{project}/{kind}/{text}";
        }

        if (FullName().Match(text) is { Success: true } full && full.Groups[1].Value == kind && ShortName().IsMatch(full.Groups[2].Value))
        {
            return text;
        }

        read.Fail(setting, $"projects/PROJECT/{kind}/NAME or NAME (3 to 255 letters, digits, - _ . ~ + %, starting with a letter)");
        return null;
    }

    private static Options.LogFormat? LogFormatOf(IngestSettingBinder read)
    {
        string? text = read.Text(IngestSetting.LogFormat);
        if (text is null)
        {
            return null;
        }

        Options.LogFormat? format = Options.LogFormats.Parse(text);
        if (format is null)
        {
            read.Fail(IngestSetting.LogFormat, Options.LogFormats.Allowed);
        }

        return format;
    }

    private static Uri? Endpoint(IngestSettingBinder read, IngestSetting setting)
    {
        string? text = read.Text(setting);
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        read.Fail(setting, "an absolute http:// or https:// URL, such as http://otel-collector:4317");
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$")]
    private static partial Regex ShortName();

    [GeneratedRegex(@"^projects/[^/]+/([a-z]+)/([^/]+)$")]
    private static partial Regex FullName();
}
