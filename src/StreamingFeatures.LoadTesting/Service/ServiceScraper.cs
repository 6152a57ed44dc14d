
namespace StreamingFeatures.LoadTesting.Service;

/// <summary>Reads a running service's Prometheus endpoint: one GET per scrape, parsed into a <see cref="ServiceSample"/>.</summary>
internal sealed class ServiceScraper(HttpClient http, Uri metrics)
{
    public Uri Metrics { get; } = metrics;

    /// <exception cref="ScrapeException">The endpoint did not answer, answered with an error, or not in the text format.</exception>
    public async Task<ServiceSample> ScrapeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync(Metrics, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ScrapeException($"{Metrics} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            return ServiceSample.Parse(body);
        }
        catch (HttpRequestException e)
        {
            throw new ScrapeException($"{Metrics} cannot be read: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ScrapeException($"{Metrics} did not answer within {http.Timeout.TotalSeconds:0.#} s.", e);
        }
        catch (FormatException e)
        {
            throw new ScrapeException($"{Metrics} did not answer in the Prometheus text format: {e.Message}", e);
        }
    }
}

/// <summary>A scrape of the service's metrics failed; the message names the URL and why.</summary>
public sealed class ScrapeException(string message, Exception? inner = null) : Exception(message, inner);
