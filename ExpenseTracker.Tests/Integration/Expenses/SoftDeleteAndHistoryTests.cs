using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Expenses;

public sealed class SoftDeleteAndHistoryTests : IAsyncLifetime
{
    private TestApp app = null!;
    private TestHousehold home = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        home = await TestHousehold.CreateAsync(app, "ana@example.com");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    private Task<ExpensePage> ListAllAsync() => home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50)));

    [ProviderTheory]
    public async Task ADeletedExpenseDisappearsFromTheListTotalAndDetails(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var keep = await home.AddExpenseAsync(home.Expense(1_000));
        var gone = await home.AddExpenseAsync(home.Expense(2_500, payee: "Oops"));

        await home.AsOwnerAsync(async s => { await s.DeleteAsync(gone); return 0; });

        var page = await ListAllAsync();
        Assert.Equal([keep], page.Items.Select(i => i.Id));
        Assert.Equal(1_000, page.SpendingMinor);
        await Assert.ThrowsAsync<NotFoundException>(() => home.AsOwnerAsync(s => s.GetAsync(gone)));
        await Assert.ThrowsAsync<NotFoundException>(() => home.AsOwnerAsync(s => s.UpdateAsync(gone, 1, home.Expense(3_000))));
    }

    [ProviderTheory]
    public async Task UndoBringsADeletedExpenseBackUnchanged(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await home.AddExpenseAsync(home.Expense(2_500, payee: "Bakery") with { Tags = ["weekly"], Notes = "Cake" });
        await home.AsOwnerAsync(async s => { await s.DeleteAsync(id); return 0; });

        await home.AsOwnerAsync(async s => { await s.RestoreAsync(id); return 0; });

        var restored = await home.AsOwnerAsync(s => s.GetAsync(id));
        Assert.Equal((2_500L, "Bakery", "Cake"), (restored.AmountMinor, restored.Payee!, restored.Notes!));
        Assert.Equal(["weekly"], restored.Tags);
        Assert.Equal(home.Categories["Groceries"], Assert.Single(restored.Lines).CategoryId);
        Assert.Equal(2_500, (await ListAllAsync()).SpendingMinor);
    }

    [ProviderTheory]
    public async Task RestoringAnExpenseThatIsNotDeletedIsNotFound(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await home.AddExpenseAsync(home.Expense(1_000));
        await Assert.ThrowsAsync<NotFoundException>(() => home.AsOwnerAsync(async s => { await s.RestoreAsync(id); return 0; }));
    }

    [ProviderTheory]
    public async Task CreatingEditingDeletingAndRestoringEachLeaveAChangeLogEntryWithBeforeAndAfter(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await home.AddExpenseAsync(home.Expense(1_250, payee: "Bakery"));
        await home.AsOwnerAsync(s => s.UpdateAsync(id, 1, home.Expense(2_000, payee: "Bakery")));
        await home.AsOwnerAsync(async s => { await s.DeleteAsync(id); return 0; });
        await home.AsOwnerAsync(async s => { await s.RestoreAsync(id); return 0; });

        await using var scope = home.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var log = await db.ChangeLog.Where(c => c.Entity == nameof(Transaction) && c.EntityId == key).OrderBy(c => c.Id).ToListAsync();

        Assert.Equal(["Added", "Modified", "SoftDeleted", "Restored"], log.Select(l => l.Action));
        Assert.All(log, l => Assert.Equal((home.Id, home.OwnerUserId), (l.HouseholdId!.Value, l.UserId!)));
        Assert.All(log, l => Assert.Equal(app.Time.GetUtcNow().UtcDateTime, l.At));

        var added = log[0];
        Assert.Null(added.BeforeJson);
        Assert.Equal(1_250, Field(added.AfterJson, "AmountMinor").GetInt64());
        Assert.Equal(id, Field(added.AfterJson, "Id").GetInt64());

        var modified = log[1];
        Assert.Equal(1_250, Field(modified.BeforeJson, "AmountMinor").GetInt64());
        Assert.Equal(2_000, Field(modified.AfterJson, "AmountMinor").GetInt64());
        Assert.Equal((1L, 2L), (Field(modified.BeforeJson, "Version").GetInt64(), Field(modified.AfterJson, "Version").GetInt64()));

        var deleted = log[2];
        Assert.Equal(JsonValueKind.Null, Field(deleted.BeforeJson, "DeletedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, Field(deleted.AfterJson, "DeletedAt").ValueKind);

        var restored = log[3];
        Assert.Equal(JsonValueKind.String, Field(restored.BeforeJson, "DeletedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, Field(restored.AfterJson, "DeletedAt").ValueKind);

        // The split lines are logged too: the one replaced by the edit as deleted, with its old amount.
        var lines = await db.ChangeLog.Where(c => c.Entity == nameof(TransactionLine)).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(["Added", "Added", "Deleted"], lines.Select(l => l.Action).Order(StringComparer.Ordinal));
        var replaced = Assert.Single(lines, l => l.Action == "Deleted");
        Assert.Equal(1_250, Field(replaced.BeforeJson, "AmountMinor").GetInt64());
        Assert.Null(replaced.AfterJson);
    }

    private static JsonElement Field(string? json, string name)
    {
        Assert.NotNull(json);
        return JsonDocument.Parse(json).RootElement.GetProperty(name);
    }
}
