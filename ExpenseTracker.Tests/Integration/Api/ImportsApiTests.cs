using System.Net;
using System.Text;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Unit.Import;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import.Mapping;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>Statement uploads over the API: the import page's pipeline, all or nothing, duplicates, history and undo.</summary>
public sealed class ImportsApiTests(HouseholdApiFixtures households) : IClassFixture<HouseholdApiFixtures>
{
    private HouseholdApiFixture api = null!;

    private async Task OnAsync(DatabaseProvider provider) => api = await households.ForAsync(provider);

    /// <summary>A real bank's OFX statement in EUR (6 transactions), from the shared fixtures.</summary>
    public static string OfxPath => StatementFixtures.PathOf("ofx/asgrim-ofxparser__ofxdata-bpbfc.ofx");

    private static readonly CsvMapping BankMapping = new() { Date = 0, Amount = 1, Payee = 2, Memo = 3, HasHeader = true, Delimiter = ',' };

    [ProviderTheory]
    public async Task An_ofx_statement_imports_once_reimporting_adds_nothing_and_undo_removes_it(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var ana = await api.ClientAsync("Ana");
        var before = await CountAsync();
        var ofx = await File.ReadAllBytesAsync(OfxPath);

        var (status, result) = await UploadAsync(ana, ofx, "statement.ofx", accountId: api.Family.CashAccountId);

        Assert.Equal(HttpStatusCode.Created, status);
        var imported = result.GetProperty("rowsImported").GetInt32();
        Assert.True(imported > 0);
        var batchId = Assert.Single(result.GetProperty("batchIds").EnumerateArray()).GetInt64();
        Assert.Equal(before + imported, await CountAsync());
        var batch = Assert.Single(result.GetProperty("batches").EnumerateArray());
        Assert.Equal(("statement.ofx", "Cash", imported), (batch.GetProperty("fileName").GetString(), batch.GetProperty("accountName").GetString(),
            batch.GetProperty("rowsImported").GetInt32()));

        var (again, repeat) = await UploadAsync(ana, ofx, "statement.ofx", accountId: api.Family.CashAccountId);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal((0, imported), (repeat.GetProperty("rowsImported").GetInt32(), repeat.GetProperty("duplicatesSkipped").GetInt32()));
        Assert.Equal(before + imported, await CountAsync());

        var (_, history) = await (await api.ClientAsync("Vic")).FetchAsync("/api/v1/imports");
        Assert.Contains(history.Items(), b => b.GetProperty("id").GetInt64() == batchId);

        Assert.Equal(HttpStatusCode.NoContent, (await ana.SendAsync(HttpMethod.Delete, $"/api/v1/imports/{batchId}")).Status);
        Assert.Equal(before, await CountAsync());
        Assert.True((await ana.FetchAsync($"/api/v1/imports/{batchId}")).Body.GetProperty("undone").GetBoolean());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ana.SendAsync(HttpMethod.Delete, $"/api/v1/imports/{batchId}")).Status);
    }

    [ProviderTheory]
    public async Task A_csv_file_is_read_with_a_saved_profile_named_or_by_id(DatabaseProvider provider)
    {
        await OnAsync(provider);
        long profileId;
        await using (var scope = api.Family.As("Ben"))
        {
            profileId = await scope.ServiceProvider.GetRequiredService<ImportProfileService>()
                .SaveAsync(new ImportProfileInput("My Bank", BankMapping, ["Date", "Amount", "Payee", "Memo"], null, null, api.Family.CashAccountId));
        }

        var ben = await api.ClientAsync("Ben");
        var csv = Csv("2026-11-02,-3.50,Bakery Sonne,", "2026-11-03,-12.00,Pharmacy Adler,");
        var (byName, result) = await UploadAsync(ben, csv, "bank.csv", profile: "my bank");
        Assert.Equal(HttpStatusCode.Created, byName);
        Assert.Equal(2, result.GetProperty("rowsImported").GetInt32());

        var (byId, second) = await UploadAsync(ben, Csv("2026-11-04,-8.20,Kiosk Nord,"), "bank2.csv", profile: profileId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.Created, byId);
        Assert.Equal(1, second.GetProperty("rowsImported").GetInt32());
    }

    [ProviderTheory]
    public async Task A_file_with_an_unreadable_row_is_refused_whole_with_the_row_errors(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var before = await CountAsync();
        var (status, problem) = await UploadAsync(await api.ClientAsync("Ana"),
            Csv("2026-11-05,-3.50,Coffee Corner,", "2026-11-06,lots,Shoe Shop,", "2026-11-07,-9.99,Cinema,"), "bad.csv", profile: await ProfileAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Contains("lots", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [ProviderTheory]
    public async Task Missing_or_wrong_form_fields_are_named(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var ana = await api.ClientAsync("Ana");
        var csv = Csv("2026-11-05,-3.50,Coffee,");
        Assert.Single((await UploadAsync(ana, csv, "nofile.csv", fileField: "document")).Body.FieldErrors("file"));
        Assert.Single((await UploadAsync(ana, csv, "a.csv")).Body.FieldErrors("profile"));
        Assert.Single((await UploadAsync(ana, csv, "a.csv", profile: "No such bank")).Body.FieldErrors("profile"));
        Assert.Single((await UploadAsync(ana, csv, "a.csv", profile: await ProfileAsync(), accountId: 999_999)).Body.FieldErrors("accountId"));
        Assert.Single((await UploadAsync(ana, [], "empty.ofx")).Body.FieldErrors("file"));

        var (status, problem) = await UploadAsync(ana,
            await File.ReadAllBytesAsync(StatementFixtures.PathOf("ofx/ofxparse__error_message.ofx")), "error.ofx", accountId: api.Family.CashAccountId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("File refused", problem.GetProperty("title").GetString());
    }

    [ProviderTheory]
    [InlineData("Vic", ApiTokenScopes.Read)]
    [InlineData("Kim", ApiTokenScopes.ReadWrite)]
    [InlineData("Ana", ApiTokenScopes.Read)]
    public async Task Viewers_children_and_read_only_tokens_cannot_import_or_undo(DatabaseProvider provider, string name, ApiTokenScopes scopes)
    {
        await OnAsync(provider);
        var before = await CountAsync();
        var client = await api.ClientAsync(name, scopes);
        var ofx = await File.ReadAllBytesAsync(OfxPath);

        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(client, ofx, "statement.ofx", accountId: api.Family.CashAccountId)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Delete, "/api/v1/imports/1")).Status);
        Assert.Equal(before, await CountAsync());
    }

    [ProviderTheory]
    public async Task A_child_does_not_see_the_import_history(DatabaseProvider provider)
    {
        await OnAsync(provider);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.ClientAsync("Kim")).FetchAsync("/api/v1/imports")).Status);
    }

    private async Task<string> ProfileAsync()
    {
        await using var scope = api.Family.As("Ana");
        await scope.ServiceProvider.GetRequiredService<ImportProfileService>()
            .SaveAsync(new ImportProfileInput("Test bank", BankMapping, null, null, null, api.Family.CashAccountId));
        return "Test bank";
    }

    private async Task<int> CountAsync()
    {
        await using var scope = api.Family.As("Ana");
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Transactions.CountAsync();
    }

    internal static byte[] Csv(params string[] rows) => Encoding.UTF8.GetBytes("Date,Amount,Payee,Memo\n" + string.Join("\n", rows) + "\n");

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(
        HttpClient client, byte[] content, string fileName, string? profile = null, long? accountId = null, string fileField = "file")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(content), fileField, fileName);
        if (profile is not null)
        {
            form.Add(new StringContent(profile), "profile");
        }

        if (accountId is { } id)
        {
            form.Add(new StringContent(id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "accountId");
        }

        using var response = await client.PostAsync(new Uri("/api/v1/imports", UriKind.Relative), form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

/// <summary>Import:MaxUploadMb applies to the API as to the page: a larger upload is refused before it is read.</summary>
public sealed class ImportUploadLimitTests
{
    [ProviderTheory]
    public async Task An_upload_above_the_limit_answers_413_and_imports_nothing(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider).With("Import:MaxUploadMb", "1");
        var (_, _, _, client) = await app.CreateApiHouseholdAsync("big@example.com");
        var rows = Enumerable.Range(0, 40_000).Select(i => $"2026-11-05,-{i % 90 + 1}.25,Shop number {i},memo").ToArray();
        var csv = ImportsApiTests.Csv(rows);
        Assert.True(csv.Length > 1024 * 1024);

        var (status, problem) = await ImportsApiTests.UploadAsync(client, csv, "big.csv", profile: "none");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("1 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await client.FetchAsync("/api/v1/imports")).Body.GetProperty("totalCount").GetInt32());
    }
}
