using Microsoft.AspNetCore.Http;

namespace StreamingFeatures.Cli.Serve.Feast;

/// <summary>
/// A request the Feast endpoint answers with an error: its HTTP status and the Feast error class a Feast client would
/// see for the same mistake (Feast's <c>FeastError.to_error_detail</c> names the class and the message).
/// </summary>
internal sealed class FeastException : Exception
{
    public FeastException()
    {
    }

    public FeastException(string message)
        : this(StatusCodes.Status400BadRequest, "ValueError", message)
    {
    }

    public FeastException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = StatusCodes.Status500InternalServerError;
        ErrorClass = "Exception";
    }

    public FeastException(int statusCode, string errorClass, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorClass = errorClass;
    }

    public int StatusCode { get; } = StatusCodes.Status500InternalServerError;

    public string ErrorClass { get; } = "Exception";

    /// <summary>HTTP 400: the request is malformed; the message names the field, the value and what is allowed.</summary>
    public static FeastException BadRequest(string message) => new(StatusCodes.Status400BadRequest, "ValueError", message);

    /// <summary>HTTP 404: no feature set of that name is served (Feast's <c>FeatureViewNotFoundException</c>).</summary>
    public static FeastException UnknownView(string message) => new(StatusCodes.Status404NotFound, "FeatureViewNotFoundException", message);
}
