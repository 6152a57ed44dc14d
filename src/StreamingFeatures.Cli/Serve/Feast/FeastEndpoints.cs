using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StreamingFeatures.Resilience;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Serve.Feast;

/// <summary>
/// Feast's feature server endpoint, <c>POST /get-online-features</c>, with Feast's request and response JSON, so an
/// existing Feast HTTP client can read from this server. A feature view is a served feature set, named by its table.
/// </summary>
internal static class FeastEndpoints
{
    public const string Path = "/get-online-features";

    public static IEndpointRouteBuilder MapFeastEndpoints(this IEndpointRouteBuilder routes, Func<string, FeatureReader?> readerOf)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(readerOf);
        routes.MapPost(Path, context => HandleAsync(context, readerOf));
        return routes;
    }

    /// <summary>
    /// Reads the body as JSON whatever its content type (Feast's documented <c>curl -d</c> sends form-urlencoded),
    /// answers 200 with the features, or an error status with Feast's error detail: 400 bad request, 404 unknown
    /// feature view, 503 Bigtable unavailable through the retries, 504 deadline passed.
    /// </summary>
    public static async Task HandleAsync(HttpContext context, Func<string, FeatureReader?> readerOf)
    {
        CancellationToken aborted = context.RequestAborted;
        try
        {
            using JsonDocument body = await ParseBodyAsync(context.Request.Body, aborted).ConfigureAwait(false);
            FeastAnswer answer = await FeastRead.RunAsync(FeastRequest.Parse(body.RootElement), readerOf, aborted).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            FeastJson.WriteAnswer(context.Response.BodyWriter, answer);
        }
        catch (Exception e) when (aborted.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // The client went away: there is no one to answer.
            return;
        }
        catch (Exception e) when (Classify(e) is { } error)
        {
            context.Response.StatusCode = error.StatusCode;
            context.Response.ContentType = "application/json";
            FeastJson.WriteError(context.Response.BodyWriter, error);
        }

        await context.Response.BodyWriter.FlushAsync(aborted).ConfigureAwait(false);
    }

    /// <summary>The error answer of a failed request; null for an unexpected failure (the host's 500 and log).</summary>
    public static FeastException? Classify(Exception e) => e switch
    {
        FeastException feast => feast,
        TimeoutException => new FeastException(StatusCodes.Status504GatewayTimeout, "TimeoutError", e.Message, e),
        CallGaveUpException => new FeastException(StatusCodes.Status503ServiceUnavailable, "ConnectionError", e.Message, e),
        RpcException { StatusCode: StatusCode.Unavailable } rpc => new FeastException(StatusCodes.Status503ServiceUnavailable, "ConnectionError", $"Bigtable is unavailable: {rpc.Status.Detail}", e),
        RpcException { StatusCode: StatusCode.DeadlineExceeded } rpc => new FeastException(StatusCodes.Status504GatewayTimeout, "TimeoutError", $"Bigtable passed the deadline: {rpc.Status.Detail}", e),
        RpcException { StatusCode: StatusCode.NotFound } rpc => new FeastException(StatusCodes.Status404NotFound, "FeatureViewNotFoundException", $"Bigtable has no table for the feature view: {rpc.Status.Detail}", e),
        RpcException rpc => new FeastException(StatusCodes.Status500InternalServerError, "RuntimeError", $"Bigtable refused the read: {rpc.StatusCode}: {rpc.Status.Detail}", e),
        InvalidDataException => new FeastException(StatusCodes.Status500InternalServerError, "RuntimeError", e.Message, e),
        _ => null,
    };

    private static async Task<JsonDocument> ParseBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw FeastException.BadRequest($"The request body is not JSON ({e.Message}); allowed: {{\"features\": [\"feature_view:feature\", ...], \"entities\": {{\"entity_key\": [values]}}}}.");
        }
    }
}
