using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Attachments;

/// <summary><c>/api/v1/expenses/{id}/attachments</c> and <c>/api/v1/attachments/{id}</c> with tokens of a <see cref="Family"/>'s members.</summary>
public sealed class AttachmentsApiTests : IAsyncLifetime
{
    private TestApp app = null!;
    private Family family = null!;
    private long expenseId;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Each test uploads to Ana's expense, so it gets its own app on <paramref name="provider"/>.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        family = await Family.CreateAsync(app);
        expenseId = await family.AddAsync("Ana", 12_50);
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<HttpClient> ClientAsync(string name, ApiTokenScopes scopes = ApiTokenScopes.ReadWrite)
    {
        var (memberId, _, role) = family.People[name];
        return app.CreateApiClient(await app.CreateTokenAsync(family.HouseholdId, memberId, role, scopes));
    }

    private static MultipartFormDataContent Form(byte[] bytes, string fileName, string claimedType = "image/jpeg")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(claimedType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private Uri Attachments(long id) => new(FormattableString.Invariant($"/api/v1/expenses/{id}/attachments"), UriKind.Relative);

    [ProviderTheory]
    public async Task AnUploadedReceiptIsListedServedAndDeleted(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var ana = await ClientAsync("Ana");
        var png = ReceiptFiles.Png();

        var created = await ana.PostAsync(Attachments(expenseId), Form(png, "till.png", "application/octet-stream"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("image/png", body.GetProperty("contentType").GetString());
        Assert.Equal(expenseId, body.GetProperty("expenseId").GetInt64());
        var contentUrl = body.GetProperty("contentUrl").GetString()!;
        Assert.Equal(contentUrl, created.Headers.Location?.ToString());

        var list = await ana.GetFromJsonAsync<JsonElement>(Attachments(expenseId));
        Assert.Equal("till.png", Assert.Single(list.EnumerateArray()).GetProperty("fileName").GetString());

        var content = await ana.GetAsync(new Uri(contentUrl, UriKind.Relative));
        Assert.Equal(png, await content.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", content.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(content.Headers.GetValues("X-Content-Type-Options")));

        var id = body.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await ana.DeleteAsync(new Uri($"/api/v1/attachments/{id}", UriKind.Relative))).StatusCode);
        Assert.Empty((await ana.GetFromJsonAsync<JsonElement>(Attachments(expenseId))).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await ana.GetAsync(new Uri(contentUrl, UriKind.Relative))).StatusCode);
    }

    [ProviderTheory]
    public async Task ARefusedTypeIsAValidationProblemOnTheFileField(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var ana = await ClientAsync("Ana");

        var response = await ana.PostAsync(Attachments(expenseId), Form(ReceiptFiles.Svg(), "receipt.jpg"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("Allowed: JPEG or PNG photos and PDF documents.", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task ViewersReadOnlyTokensAndChildrenCannotUploadHereAndOtherHouseholdsSeeNothing(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var vic = await ClientAsync("Vic", ApiTokenScopes.Read);
        var kim = await ClientAsync("Kim");
        var readOnly = await ClientAsync("Ana", ApiTokenScopes.Read);
        var (_, _, _, eve) = await app.CreateApiHouseholdAsync("eve@example.com");

        Assert.Equal(HttpStatusCode.Forbidden, (await vic.PostAsync(Attachments(expenseId), Form(ReceiptFiles.Png(), "r.png"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await kim.PostAsync(Attachments(expenseId), Form(ReceiptFiles.Png(), "r.png"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsync(Attachments(expenseId), Form(ReceiptFiles.Png(), "r.png"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.PostAsync(Attachments(expenseId), Form(ReceiptFiles.Png(), "r.png"))).StatusCode);

        var ana = await ClientAsync("Ana");
        var created = JsonDocument.Parse(await (await ana.PostAsync(Attachments(expenseId), Form(ReceiptFiles.Png(), "r.png"))).Content.ReadAsStringAsync()).RootElement;
        var contentUrl = new Uri(created.GetProperty("contentUrl").GetString()!, UriKind.Relative);
        Assert.Equal(HttpStatusCode.OK, (await vic.GetAsync(contentUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync(contentUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync(Attachments(expenseId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.DeleteAsync(new Uri($"/api/v1/attachments/{created.GetProperty("id").GetInt64()}", UriKind.Relative))).StatusCode);
    }
}
