using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// What the settings alone cannot tell, checked before the host starts (and by <c>--dry-run</c>): the HTTP port can
/// be bound, the emulator variables are <c>host:port</c>, the key file exists. Each problem is one line naming the
/// setting, its value and origin, and what is allowed.
/// </summary>
internal static class IngestPreflight
{
    public static IReadOnlyList<string> Problems(IngestSettings settings, IngestConfiguration configuration, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        if (PortProblem(settings) is { } port)
        {
            problems.Add(PortMessage(settings, configuration, port));
        }

        foreach (string variable in new[] { PubSubConnection.EmulatorHostVariable, BigtableConnectionOptions.EmulatorHostVariable })
        {
            // Set but empty means unset, as for the clients that read them.
            if (OutputChecks.EndpointVariableProblem(variable, name => string.IsNullOrWhiteSpace(environment(name)) ? null : environment(name)) is { } problem)
            {
                problems.Add(problem);
            }
        }

        if (settings.CredentialsFile is { } key && !File.Exists(key))
        {
            problems.Add($"{IngestSetting.Credentials.Key} ({IngestSetting.Credentials.Flag}) is '{key}' ({configuration.Origin(IngestSetting.Credentials)}); no such file: name a service-account key file, or leave it out for Application Default Credentials.");
        }

        return problems;
    }

    /// <summary>The one line for a port that cannot be bound, before the host starts or when another process won the race.</summary>
    public static string PortMessage(IngestSettings settings, IngestConfiguration configuration, string reason) =>
        string.Create(CultureInfo.InvariantCulture, $"{IngestSetting.HttpPort.Key} ({IngestSetting.HttpPort.Flag}) is '{settings.HttpPort}' ({configuration.Origin(IngestSetting.HttpPort)}); cannot listen there for health and metrics: {reason}. Allowed: a free port, or 0 for any free one.");

    /// <summary>The address Kestrel listens on: loopback in local mode, every address in a pod.</summary>
    public static IPAddress ListenAddress(IngestSettings settings) => settings.Local ? IPAddress.Loopback : IPAddress.IPv6Any;

    /// <summary>Why the port cannot be bound, or null when it can (or is 0: any free port).</summary>
    private static string? PortProblem(IngestSettings settings)
    {
        if (settings.HttpPort == 0)
        {
            return null;
        }

        IPAddress address = ListenAddress(settings);
        try
        {
            Bind(address, settings.HttpPort);
            return null;
        }
        catch (SocketException e) when (address.Equals(IPAddress.IPv6Any) && e.SocketErrorCode == SocketError.AddressFamilyNotSupported)
        {
            // No IPv6 on this host: Kestrel's ListenAnyIP falls back to IPv4 too.
            try
            {
                Bind(IPAddress.Any, settings.HttpPort);
                return null;
            }
            catch (SocketException inner)
            {
                return Reason(inner);
            }
        }
        catch (SocketException e)
        {
            return Reason(e);
        }
    }

    private static void Bind(IPAddress address, int port)
    {
        // Bound and listening as Kestrel would, then released at once; a process that takes the port meanwhile is
        // caught when the host starts (IngestCommand).
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = true;
        }

        socket.Bind(new IPEndPoint(address, port));
        socket.Listen();
    }

    private static string Reason(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "another process listens on it",
        SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
        _ => e.Message,
    };
}
