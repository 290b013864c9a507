using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExpenseTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>
/// The whole API surface, enumerated from the app's own endpoints rather than listed by hand: every endpoint under
/// <c>/api/v1</c> is described in the OpenAPI document (method, summary, responses), and answers 401 with a problem to a
/// caller without a token. SQLite only: the document and the refusals are built from the endpoints and the token check
/// alone, before any database is read, so the answers are the same on PostgreSQL.
/// </summary>
public sealed partial class ApiSurfaceTests : IAsyncLifetime
{
    private readonly TestApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    private List<(string Method, string Template, string? Accepts)> ApiEndpoints()
    {
        _ = app.Server;
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var list = new List<(string, string, string?)>();
        foreach (var endpoint in endpoints)
        {
            var template = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!template.StartsWith("/api/v1/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                list.Add((method, template.TrimEnd('/'), endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.FirstOrDefault()));
            }
        }

        return list;
    }

    [Fact]
    public async Task The_openapi_document_describes_every_api_endpoint()
    {
        var endpoints = ApiEndpoints();
        Assert.True(endpoints.Count >= 40, $"only {endpoints.Count} API endpoints found");
        using var client = app.CreateApiClient(null);
        var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;
        var paths = document.GetProperty("paths");

        var missing = new List<string>();
        foreach (var (method, template, _) in endpoints)
        {
            var path = Constraint().Replace(template, "{$1}");
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                missing.Add($"{method} {path}");
                continue;
            }

            Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has no summary");
            Assert.True(operation.TryGetProperty("operationId", out _), $"{method} {path} has no name");
            Assert.True(operation.GetProperty("responses").EnumerateObject().Any(), $"{method} {path} declares no responses");
            Assert.True(operation.TryGetProperty("security", out _), $"{method} {path} does not say it needs a token");
        }

        Assert.True(missing.Count == 0, "Not in /openapi/v1.json: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_api_endpoint_refuses_a_caller_without_a_token()
    {
        using var client = app.CreateApiClient(null);
        foreach (var (method, template, accepts) in ApiEndpoints())
        {
            var path = Parameter().Replace(template, "1");
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
            if (accepts is "multipart/form-data")
            {
                request.Content = new MultipartFormDataContent { { new StringContent("x"), "profile" } };
            }
            else if (accepts is not null)
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, accepts);
            }

            var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>"{id:long}" → "{id}", as OpenAPI writes path parameters.</summary>
    [GeneratedRegex(@"\{([A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex Constraint();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
