using System.Globalization;
using Grpc.Core;

namespace StreamingFeatures.Resilience;

/// <summary>
/// A call that kept failing transiently until its retry deadline passed. The message is one line naming the call,
/// how long it tried and how often, and the last error, e.g. "Bigtable MutateRows on table 'features' gave up after
/// 62 s and 9 attempts: Unavailable: Error connecting to subchannel."
/// </summary>
public sealed class CallGaveUpException : Exception
{
    public CallGaveUpException()
    {
    }

    public CallGaveUpException(string message)
        : base(message)
    {
    }

    public CallGaveUpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What gave up, e.g. "Bigtable ReadRows on table 'features'".</summary>
    public string Call { get; private init; } = string.Empty;

    public TimeSpan Elapsed { get; private init; }

    public int Attempts { get; private init; }

    internal static CallGaveUpException Create(string call, TimeSpan elapsed, int attempts, StatusCode code, string detail, Exception? inner) =>
        new(Describe(call, elapsed, attempts, code, detail), inner!)
        {
            Call = call,
            Elapsed = elapsed,
            Attempts = attempts,
        };

    internal static string Describe(string call, TimeSpan elapsed, int attempts, StatusCode code, string detail)
    {
        string seconds = elapsed.TotalSeconds < 10
            ? elapsed.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)
            : elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        string attemptWord = attempts == 1 ? "attempt" : "attempts";
        string last = detail.TrimEnd('.');
        return string.Create(CultureInfo.InvariantCulture, $"{call} gave up after {seconds} s and {attempts} {attemptWord}: {code}: {last}.");
    }
}
