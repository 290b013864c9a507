using System.Globalization;
using System.Net;
using System.Text;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Import;
using ExpenseTracker.Tests.Unit.Import;
using ExpenseTracker.Web.Features.Import.Mapping;
using ExpenseTracker.Web.Features.Import.Readers;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Hardening.Fuzz;

/// <summary>
/// 200 seeded mutations of the shared statement fixtures per format through the real import pipeline (one app and
/// household per format): each is refused with a clear message or imported cleanly, never half-written. The `fuzz`
/// benchmark runs the same cases at 2,000 per format.
/// </summary>
public sealed class StatementFuzzTests : IAsyncLifetime
{
    public const int CasesPerFormat = 200;

    private static readonly Lazy<StatementMutator> Mutator = new(() => new StatementMutator(StatementFixtures.Root));

    private readonly TestApp app = new();
    private ImportHousehold home = default!;

    public async Task InitializeAsync() => home = await ImportHousehold.CreateAsync(app);

    public async Task DisposeAsync() => await app.DisposeAsync();

    public static TheoryData<string> Formats() => [.. StatementMutator.Formats];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task EveryMutatedStatementIsRefusedOrImportedCleanly(string format)
    {
        var harness = new FuzzHarness(() => home.Scope(), home.CheckingId, TimeSpan.FromSeconds(60));
        var failures = new List<FuzzResult>();
        var outcomes = new Dictionary<FuzzOutcome, int>();
        for (var seed = 0; seed < CasesPerFormat; seed++)
        {
            var result = await harness.RunAsync(Mutator.Value.Mutate(format, seed));
            outcomes[result.Outcome] = outcomes.GetValueOrDefault(result.Outcome) + 1;
            if (result.Outcome == FuzzOutcome.Failed)
            {
                failures.Add(result);
            }
        }

        var kinds = failures.GroupBy(f => f.Detail.Split('\n')[0]).Select(g => $"{g.Count()} x {g.Key} (seeds {string.Join(", ", g.Select(f => f.File.Seed).Take(5))})");
        Assert.True(failures.Count == 0, $"{failures.Count} of {CasesPerFormat} {format} cases failed (replay with StatementMutator.Mutate(\"{format}\", seed)):\n"
            + string.Join("\n", kinds) + "\n\n" + string.Join("\n", failures.Take(5)));
        // Both answers occur: a fuzzer that only ever refuses (or only imports) is not exercising the pipeline.
        Assert.True(outcomes.GetValueOrDefault(FuzzOutcome.Refused) > 0 && outcomes.GetValueOrDefault(FuzzOutcome.Imported) > 0,
            $"{format}: refused {outcomes.GetValueOrDefault(FuzzOutcome.Refused)}, imported {outcomes.GetValueOrDefault(FuzzOutcome.Imported)}");
    }

    [Fact]
    public void TheSameSeedGivesTheSameFile()
    {
        foreach (var format in StatementMutator.Formats)
        {
            var mutator = new StatementMutator(StatementFixtures.Root);
            Assert.Equal(Mutator.Value.Mutate(format, 42).Content, mutator.Mutate(format, 42).Content);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AZipBombWorkbookIsRefusedAndWritesNothing(bool lyingSizes)
    {
        var mutation = lyingSizes ? "zip bomb with lying sizes" : "zip bomb (1 GB sheet)";
        var bomb = Enumerable.Range(0, 500).Select(seed => Mutator.Value.Mutate(StatementMutator.Xlsx, seed)).First(f => f.Mutation == mutation);

        var result = await new FuzzHarness(() => home.Scope(), home.CheckingId, TimeSpan.FromSeconds(60)).RunAsync(bomb);

        Assert.True(result.Outcome == FuzzOutcome.Refused, result.ToString());
        if (!lyingSizes)
        {
            Assert.Contains("zip bomb", result.Detail, StringComparison.Ordinal);
        }

        // With lying sizes the zip reader stops at the declared 1 KB, so the sheet reads as damaged XML: refused either way.
        Assert.True(bomb.Content.Length < 5 * 1024 * 1024, $"the bomb is {bomb.Content.Length:N0} bytes");
    }
}

/// <summary>Mutated files posted to POST /api/v1/imports answer a problem with a 4xx status or import, never 500.</summary>
public sealed class FuzzedUploadTests : IAsyncLifetime
{
    private const int CasesPerFormat = 12;

    private readonly TestApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task MutatedUploadsNeverAnswer500()
    {
        var home = await ImportHousehold.CreateAsync(app);
        var token = await app.CreateTokenAsync(home.HouseholdId, home.OwnerId);
        using var client = app.CreateApiClient(token);
        await using (var scope = home.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<ImportProfileService>().SaveAsync(new ImportProfileInput(
                "Fuzz", new CsvMapping { Date = 0, Amount = 1, Payee = 2, Memo = 3, HasHeader = true }, null, null, null, home.CheckingId));
        }

        var mutator = new StatementMutator(StatementFixtures.Root);
        var unexpected = new List<string>();
        foreach (var format in StatementMutator.Formats)
        {
            for (var seed = 0; seed < CasesPerFormat; seed++)
            {
                var file = mutator.Mutate(format, seed);
                using var form = new MultipartFormDataContent
                {
                    { new ByteArrayContent(file.Content), "file", file.FileName },
                    { new StringContent(home.CheckingId.ToString(CultureInfo.InvariantCulture)), "accountId" },
                };
                if (format is "csv" or StatementMutator.Xlsx)
                {
                    form.Add(new StringContent("Fuzz"), "profile");
                }

                using var response = await client.PostAsync(new Uri("/api/v1/imports", UriKind.Relative), form);
                var status = (int)response.StatusCode;
                var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                if (!(response.IsSuccessStatusCode || (status is >= 400 and < 500 && problem)))
                {
                    unexpected.Add($"{file}: {status} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }
}
