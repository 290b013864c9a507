using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Rules;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Rules;

/// <summary>One app per database provider, made when a test first asks for it; each test takes a household of its own.</summary>
public sealed class RulesAppFixture : IAsyncLifetime
{
    private readonly Dictionary<DatabaseProvider, TestApp> apps = [];

    public TestApp App => For(DatabaseProvider.Sqlite);

    public TestApp For(DatabaseProvider provider)
    {
        lock (apps)
        {
            if (!apps.TryGetValue(provider, out var app))
            {
                apps[provider] = app = new TestApp(provider);
            }

            return app;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in apps.Values)
        {
            await app.DisposeAsync();
        }
    }
}

/// <summary>The rules service, the suggester and apply-to-existing over the real app, each test in its own household.</summary>
public sealed class RulesTests(RulesAppFixture fixture) : IClassFixture<RulesAppFixture>
{
    private Task<TestHousehold> NewHouseholdAsync(DatabaseProvider provider) =>
        TestHousehold.CreateAsync(fixture.For(provider), Guid.NewGuid().ToString("N")[..10] + "@example.com");

    private static async Task<T> WithAsync<T>(TestHousehold h, Func<IServiceProvider, Task<T>> action, MemberRole role = MemberRole.Owner)
    {
        await using var scope = h.Scope(role);
        return await action(scope.ServiceProvider);
    }

    private static Task<long> AddRuleAsync(TestHousehold h, RuleInput input) =>
        WithAsync(h, s => s.GetRequiredService<CategoryRuleService>().CreateAsync(input));

    private static CategorizeInput In(string? payee, string? memo, long amountMinor) => new(payee, memo, amountMinor);

    private static Task<IReadOnlyList<CategorySuggestion>> SuggestAsync(TestHousehold h, params CategorizeInput[] rows) =>
        WithAsync(h, s => s.GetRequiredService<ICategorySuggester>().SuggestAsync(rows));

    [ProviderTheory]
    public async Task TheFirstMatchingRuleInOrderSuggestsCategoryTagsAndNewPayee(DatabaseProvider provider)
    {
        var h = await NewHouseholdAsync(provider);
        var big = await AddRuleAsync(h, new RuleInput(RuleField.Payee, RuleOperator.Contains, "rewe", MinAmountMinor: 10000, CategoryId: h.Categories["Housing"], Tags: "big, shop"));
        var any = await AddRuleAsync(h, new RuleInput(RuleField.Payee, RuleOperator.Contains, "rewe", CategoryId: h.Categories["Groceries"], RenamePayee: "REWE"));

        var result = await SuggestAsync(h, In("REWE Markt GmbH 4711", null, -12000), In("Rewe markt", "card", -1250), In("Unknown", null, -100));

        Assert.Equal((h.Categories["Housing"], big, SuggestionSource.Rule), (result[0].CategoryId, result[0].RuleId, result[0].Source));
        Assert.Equal(["big", "shop"], result[0].Tags);
        Assert.Null(result[0].RenamedPayee);
        Assert.Equal((h.Categories["Groceries"], any, "REWE"), (result[1].CategoryId, result[1].RuleId, result[1].RenamedPayee));
        Assert.Same(CategorySuggestion.None, result[2]);

        await WithAsync(h, async s => { await s.GetRequiredService<CategoryRuleService>().MoveAsync(any, -1); return 0; });
        Assert.Equal(any, (await SuggestAsync(h, In("REWE Markt GmbH 4711", null, -12000)))[0].RuleId);
    }

    [ProviderTheory]
    public async Task WithoutAMatchingRuleTheMostUsedCategoryForTheFoldedPayeeIsSuggested(DatabaseProvider provider)
    {
        var h = await NewHouseholdAsync(provider);
        await h.AddExpenseAsync(h.Expense(500, "Dining out", payee: "Café Luna"));
        await h.AddExpenseAsync(h.Expense(700, "Dining out", payee: "CAFE LUNA"));
        await h.AddExpenseAsync(h.Expense(900, "Groceries", payee: "cafe luna"));
        await h.AddExpenseAsync(h.Expense(900, "Groceries", payee: "Bakery"));
        await AddRuleAsync(h, new RuleInput(RuleField.Payee, RuleOperator.Contains, "disabled luna", CategoryId: h.Categories["Kids"], Enabled: false));

        var result = await SuggestAsync(h, In("  cafe  LUNA ", null, -450), In("Bakery", null, -100), In("Nobody", null, -1), In(null, "memo", -1));

        Assert.Equal((h.Categories["Dining out"], SuggestionSource.History), (result[0].CategoryId, result[0].Source));
        Assert.Null(result[0].RuleId);
        Assert.Equal(h.Categories["Groceries"], result[1].CategoryId);
        Assert.Equal(SuggestionSource.None, result[2].Source);
        Assert.Equal(SuggestionSource.None, result[3].Source);
    }

    [ProviderTheory]
    public async Task HistoryIgnoresDeletedExpensesAndArchivedCategories(DatabaseProvider provider)
    {
        var h = await NewHouseholdAsync(provider);
        var deleted = await h.AddExpenseAsync(h.Expense(500, "Travel", payee: "Kiosk"));
        await h.AddExpenseAsync(h.Expense(500, "Travel", payee: "Kiosk"));
        await h.AddExpenseAsync(h.Expense(500, "Other", payee: "Kiosk"));
        await h.AsOwnerAsync(async s => { await s.DeleteAsync(deleted); return 0; });

        // 1 Travel vs 1 Other: the tie goes to the most recent use, then to the lower id — both from this call's data.
        var before = (await SuggestAsync(h, In("Kiosk", null, -1)))[0].CategoryId;
        Assert.Contains(before, new long?[] { h.Categories["Travel"], h.Categories["Other"] });

        await WithAsync(h, async s => { await s.GetRequiredService<ExpenseTracker.Web.Features.Categories.CategoryService>().SetArchivedAsync(h.Categories["Travel"], true); return 0; });
        Assert.Equal(h.Categories["Other"], (await SuggestAsync(h, In("Kiosk", null, -1)))[0].CategoryId);
    }

    [ProviderTheory]
    public async Task ApplyToExistingChangesSingleLineCategoriesAddsTagsRenamesPayeesAndCountsChanges(DatabaseProvider provider)
    {
        var h = await NewHouseholdAsync(provider);
        var netflix = await h.AddExpenseAsync(h.Expense(1299, "Other", payee: "NETFLIX.COM 123"));
        var split = await h.AddExpenseAsync(h.Expense(2000, "Other", payee: "Netflix gift") with
        {
            Lines = [new LineInput(h.Categories["Other"], 1000), new LineInput(h.Categories["Gifts"], 1000)],
        });
        var already = await h.AddExpenseAsync(h.Expense(1299, "Entertainment", payee: "Netflix") with { Tags = ["streaming"] });
        var other = await h.AddExpenseAsync(h.Expense(500, "Groceries", payee: "Bakery"));
        await AddRuleAsync(h, new RuleInput(RuleField.Payee, RuleOperator.Regex, "^netflix", CategoryId: h.Categories["Entertainment"], RenamePayee: "Netflix", Tags: "Streaming"));

        var changed = await WithAsync(h, s => s.GetRequiredService<CategoryRuleService>().ApplyToExistingAsync());

        Assert.Equal(2, changed);
        var details = await WithAsync(h, async s =>
        {
            var db = s.GetRequiredService<AppDbContext>();
            return await db.Transactions.AsNoTracking().OrderBy(t => t.Id)
                .Select(t => new { t.Id, Payee = t.Payee!.Name, Categories = t.Lines.OrderBy(l => l.Id).Select(l => l.CategoryId).ToList(), Tags = t.Tags.Select(x => x.Tag!.Name).ToList() })
                .ToDictionaryAsync(t => t.Id);
        });
        Assert.Equal("Netflix", details[netflix].Payee);
        Assert.Equal([h.Categories["Entertainment"]], details[netflix].Categories);
        Assert.Equal(["streaming"], details[netflix].Tags);
        Assert.Equal("Netflix", details[split].Payee);
        Assert.Equal([h.Categories["Other"], h.Categories["Gifts"]], details[split].Categories);
        Assert.Equal(["streaming"], details[split].Tags);
        Assert.Equal(["streaming"], details[already].Tags);
        Assert.Equal("Bakery", details[other].Payee);

        Assert.Equal(0, await WithAsync(h, s => s.GetRequiredService<CategoryRuleService>().ApplyToExistingAsync()));
    }

    [ProviderTheory]
    public async Task RulesAreValidatedWithClearMessages(DatabaseProvider provider)
    {
        var h = await NewHouseholdAsync(provider);
        var foreign = await NewHouseholdAsync(provider);
        var cases = new (RuleInput Input, string Field)[]
        {
            (new RuleInput(RuleField.Payee, RuleOperator.Regex, "(unclosed", CategoryId: h.Categories["Other"]), "Pattern"),
            (new RuleInput(RuleField.Payee, RuleOperator.Contains, "   ", CategoryId: h.Categories["Other"]), "Pattern"),
            (new RuleInput(RuleField.Payee, RuleOperator.Contains, "x", MinAmountMinor: 500, MaxAmountMinor: 100, CategoryId: h.Categories["Other"]), "MaxAmountMinor"),
            (new RuleInput(RuleField.Payee, RuleOperator.Contains, "x", MinAmountMinor: -1, CategoryId: h.Categories["Other"]), "MinAmountMinor"),
            (new RuleInput(RuleField.Payee, RuleOperator.Contains, "x", CategoryId: foreign.Categories["Other"]), "CategoryId"),
            (new RuleInput(RuleField.Payee, RuleOperator.Contains, "x"), "CategoryId"),
            (new RuleInput((RuleField)9, RuleOperator.Contains, "x", CategoryId: h.Categories["Other"]), "Field"),
        };

        foreach (var (input, field) in cases)
        {
            var error = await Assert.ThrowsAsync<FieldValidationException>(() => AddRuleAsync(h, input));
            Assert.Equal(field, error.Field);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }

        Assert.Empty(await WithAsync(h, s => s.GetRequiredService<CategoryRuleService>().ListAsync()));
    }

    [ProviderTheory]
    public async Task RulesAreListedInOrderAndMoveUpAndDown(DatabaseProvider provider)
    {
        var h = await NewHouseholdAsync(provider);
        var a = await AddRuleAsync(h, new RuleInput(RuleField.Payee, RuleOperator.Contains, "a", CategoryId: h.Categories["Other"]));
        var b = await AddRuleAsync(h, new RuleInput(RuleField.Notes, RuleOperator.Equals, "b", Tags: "x"));
        var c = await AddRuleAsync(h, new RuleInput(RuleField.PayeeOrNotes, RuleOperator.Contains, "c", RenamePayee: "C"));
        var rules = await WithAsync(h, async s =>
        {
            var service = s.GetRequiredService<CategoryRuleService>();
            await service.MoveAsync(c, -1);
            await service.MoveAsync(a, +1);
            await service.MoveAsync(a, +1);
            await service.MoveAsync(b, -1);
            return await service.ListAsync();
        });

        Assert.Equal([b, c, a], rules.Select(r => r.Id));
        Assert.Equal([0, 1, 2], rules.Select(r => r.Order));
        Assert.Equal("Other", rules[2].CategoryName);

        await WithAsync(h, async s =>
        {
            var service = s.GetRequiredService<CategoryRuleService>();
            await service.UpdateAsync(c, new RuleInput(RuleField.Payee, RuleOperator.Contains, "cc", CategoryId: h.Categories["Kids"], Enabled: false));
            await service.DeleteAsync(b);
            return 0;
        });
        var after = await WithAsync(h, s => s.GetRequiredService<CategoryRuleService>().ListAsync());
        Assert.Equal([c, a], after.Select(r => r.Id));
        Assert.Equal(("cc", false, "Kids"), (after[0].Pattern, after[0].Enabled, after[0].CategoryName));
    }

    [ProviderTheory]
    [InlineData(MemberRole.Owner, true, true)]
    [InlineData(MemberRole.Member, true, true)]
    [InlineData(MemberRole.Viewer, true, false)]
    [InlineData(MemberRole.Child, false, false)]
    public async Task OwnersAndMembersWriteViewersReadChildrenAreRefused(DatabaseProvider provider, MemberRole role, bool canRead, bool canWrite)
    {
        var h = await NewHouseholdAsync(provider);
        var id = await AddRuleAsync(h, new RuleInput(RuleField.Payee, RuleOperator.Contains, "x", CategoryId: h.Categories["Other"]));
        var input = new RuleInput(RuleField.Payee, RuleOperator.Contains, "y", CategoryId: h.Categories["Other"]);
        var operations = new (bool Allowed, Func<CategoryRuleService, Task> Run)[]
        {
            (canRead, s => s.ListAsync()),
            (canWrite, s => s.CreateAsync(input)),
            (canWrite, s => s.UpdateAsync(id, input)),
            (canWrite, s => s.MoveAsync(id, 1)),
            (canWrite, s => s.ApplyToExistingAsync()),
            (canWrite, s => s.DeleteAsync(id)),
        };

        foreach (var (allowed, run) in operations)
        {
            await using var scope = h.Scope(role);
            var error = await Record.ExceptionAsync(() => run(scope.ServiceProvider.GetRequiredService<CategoryRuleService>()));
            if (allowed)
            {
                Assert.Null(error);
            }
            else
            {
                Assert.IsType<HouseholdAccessException>(error);
            }
        }
    }

    [ProviderTheory]
    public async Task AnotherHouseholdsRulesAndHistoryNeverApply(DatabaseProvider provider)
    {
        var mine = await NewHouseholdAsync(provider);
        var theirs = await NewHouseholdAsync(provider);
        var theirRule = await AddRuleAsync(theirs, new RuleInput(RuleField.Payee, RuleOperator.Contains, "shop", CategoryId: theirs.Categories["Kids"]));
        await theirs.AddExpenseAsync(theirs.Expense(100, "Health", payee: "Pharmacy"));
        await mine.AddExpenseAsync(mine.Expense(100, "Groceries", payee: "Corner shop"));

        var result = await SuggestAsync(mine, In("Corner shop", null, -100), In("Pharmacy", null, -100));
        Assert.Equal((mine.Categories["Groceries"], SuggestionSource.History), (result[0].CategoryId, result[0].Source));
        Assert.Equal(SuggestionSource.None, result[1].Source);

        Assert.Empty(await WithAsync(mine, s => s.GetRequiredService<CategoryRuleService>().ListAsync()));
        await Assert.ThrowsAsync<NotFoundException>(() => WithAsync(mine, async s =>
        {
            await s.GetRequiredService<CategoryRuleService>().UpdateAsync(theirRule, new RuleInput(RuleField.Payee, RuleOperator.Contains, "x", CategoryId: mine.Categories["Other"]));
            return 0;
        }));
        await Assert.ThrowsAsync<NotFoundException>(() => WithAsync(mine, async s => { await s.GetRequiredService<CategoryRuleService>().DeleteAsync(theirRule); return 0; }));
        Assert.Equal(0, await WithAsync(mine, s => s.GetRequiredService<CategoryRuleService>().ApplyToExistingAsync()));
        Assert.Single(await WithAsync(theirs, s => s.GetRequiredService<CategoryRuleService>().ListAsync()));
    }
}
