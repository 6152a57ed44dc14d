using System.Globalization;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>The resource names of the Storage Read API, parsed strictly.</summary>
internal static class ResourceNames
{
    public static string Table(string project, string dataset, string table) => $"projects/{project}/datasets/{dataset}/tables/{table}";

    /// <summary><c>projects/P</c> to P, or null.</summary>
    public static string? Project(string parent)
    {
        string[] parts = parent.Split('/');
        return parts.Length == 2 && parts[0] == "projects" && parts[1].Length > 0 ? parts[1] : null;
    }

    /// <summary>True when <paramref name="name"/> is <c>projects/P/datasets/D/tables/T</c>.</summary>
    public static bool IsTable(string name)
    {
        string[] parts = name.Split('/');
        return parts.Length == 6 && parts[0] == "projects" && parts[2] == "datasets" && parts[4] == "tables"
            && parts[1].Length > 0 && parts[3].Length > 0 && parts[5].Length > 0;
    }

    /// <summary>BigQuery's own short form of a table, <c>P:D.T</c>, as its error messages print it.</summary>
    public static string ShortTable(string name)
    {
        string[] parts = name.Split('/');
        return $"{parts[1]}:{parts[3]}.{parts[5]}";
    }

    public static string Stream(string session, int number) => $"{session}/streams/{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// <c>projects/P/locations/L/sessions/S/streams/N</c> to its session name and stream number; false when malformed.
    /// </summary>
    public static bool TryParseStream(string name, out string session, out int number)
    {
        session = string.Empty;
        number = 0;
        string[] parts = name.Split('/');
        if (parts.Length != 8 || parts[0] != "projects" || parts[2] != "locations" || parts[4] != "sessions" || parts[6] != "streams"
            || parts[1].Length == 0 || parts[3].Length == 0 || parts[5].Length == 0
            || !int.TryParse(parts[7], NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return false;
        }

        session = string.Join('/', parts[..6]);
        return true;
    }
}
