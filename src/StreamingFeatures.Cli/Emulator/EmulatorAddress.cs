using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;

namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>
/// Where <c>emulator read-rows</c> and <c>emulator pull</c> find a running emulator: <c>--host</c>, else the variable
/// the official clients read (<c>BIGTABLE_EMULATOR_HOST</c>, <c>PUBSUB_EMULATOR_HOST</c>).
/// </summary>
internal static class EmulatorAddress
{
    public static Option<string> HostOption(string variable) =>
        new("--host") { Description = $"The emulator's HOST:PORT. Default: the {variable} environment variable." };

    /// <summary>The host, or null after writing an error naming both ways to give it.</summary>
    public static string? Resolve(ParseResult parse, Option<string> host, string variable)
    {
        string? value = parse.GetValue(host) ?? Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Console.Error.WriteLine($"error: no emulator named: pass --host HOST:PORT or set {variable}.");
            return null;
        }

        return value.Trim();
    }

    /// <summary>A plaintext HTTP/2 channel, as the emulators speak; the caller disposes it.</summary>
    public static GrpcChannel Channel(string host) =>
        GrpcChannel.ForAddress("http://" + host, new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure });
}
