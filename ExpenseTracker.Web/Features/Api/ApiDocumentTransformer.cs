using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>Names the API, and declares the Bearer token scheme that every operation requires.</summary>
public sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SchemeId = "PersonalAccessToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "ExpenseTracker API",
            Version = "v1",
            Description = "The household's expenses, budgets, bills and imports. Authenticate with a personal access token " +
                "(Settings → API tokens): `Authorization: Bearer et_…`. Errors are RFC 9457 problem documents.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A personal access token, e.g. et_4fQz…",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] };
        foreach (var path in document.Paths.Values)
        {
            if (path.Operations is null)
            {
                continue;
            }

            foreach (var operation in path.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
