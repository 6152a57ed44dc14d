using System.Net;
using System.Net.Sockets;

namespace StreamingFeatures.Emulators;

internal static class LoopbackPort
{
    /// <summary>
    /// A port that was free a moment ago. Another process may take it before the emulator binds it;
    /// the launcher retries with a new port when the emulator reports the address in use.
    /// </summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
