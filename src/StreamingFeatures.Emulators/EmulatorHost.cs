using System.Globalization;

namespace StreamingFeatures.Emulators;

/// <summary>Parses the <c>host:port</c> form used by <c>BIGTABLE_EMULATOR_HOST</c> and <c>PUBSUB_EMULATOR_HOST</c>.</summary>
internal static class EmulatorHost
{
    /// <summary>Returns <c>host:port</c> normalised, or throws naming the variable, its value and the expected form.</summary>
    public static string Parse(string variable, string value)
    {
        string trimmed = value.Trim();
        int colon = trimmed.LastIndexOf(':');
        bool bracketed = trimmed.StartsWith('[');
        string host = colon > 0 ? trimmed[..colon] : string.Empty;
        string port = colon > 0 ? trimmed[(colon + 1)..] : string.Empty;
        bool hostValid = host.Length > 0
            && (bracketed ? host.EndsWith(']') : !host.Contains(':'))
            && !host.Contains('/');
        if (!hostValid
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            || number is < 1 or > 65535)
        {
            throw new ArgumentException(
                $"{variable} is '{value}'; expected host:port with a port from 1 to 65535, for example 127.0.0.1:8086 or [::1]:8086.");
        }

        return $"{host}:{number.ToString(CultureInfo.InvariantCulture)}";
    }
}
