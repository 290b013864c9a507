using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>
/// One budget in one month, as the Budgets page shows it. <see cref="Amount"/> is the month's budget,
/// <see cref="Carried"/> what rollover brings in, <see cref="Available"/> their sum; <see cref="Spent"/> is expenses minus
/// refunds; <see cref="Percent"/> is spent of available (null when nothing is available).
/// </summary>
public sealed record ApiBudget(
    long BudgetId, long? CategoryId, long? MemberId, string Name, decimal Amount, decimal Carried, decimal Available, decimal Spent,
    decimal Remaining, double? Percent, PaceState State, bool Rollover, bool IsOverride, string Currency);

/// <summary>The budgets of a month (<c>yyyy-MM</c>, from <see cref="From"/> to <see cref="To"/> by the household's month start day).</summary>
public sealed record ApiBudgetMonth(
    string Month, DateOnly From, DateOnly To, string Currency, IReadOnlyList<ApiBudget> Budgets, ApiBudget? Overall,
    IReadOnlyList<ApiBudget> Allowances, decimal Unbudgeted, decimal TotalSpent, bool CanEdit);

/// <summary>A category's monthly budget from <see cref="From"/> (<c>yyyy-MM</c>, default the current month) on, until a later change.</summary>
public sealed record ApiBudgetInput(decimal? Amount, string? Currency, string? From, bool? Rollover);

/// <summary><c>/api/v1/budgets</c>: the month's figures, and setting or removing a category's budget as the Budgets page does.</summary>
public static class BudgetsApi
{
    public static RouteGroupBuilder MapBudgetsApi(this RouteGroupBuilder api)
    {
        var budgets = api.MapGroup("/budgets").WithTags("Budgets");

        budgets.MapGet("/", async (string? month, BudgetService service, CancellationToken ct) =>
            {
                var chosen = ApiInput.Month(month, "month", await service.CurrentMonthAsync(ct));
                return TypedResults.Ok(ToApi(await service.GetMonthAsync(chosen, ct)));
            })
            .Reads<ApiBudgetMonth>("GetBudgets", "Every budget of a month (?month=yyyy-MM, default the current one) with amount, spent, remaining and percent.");

        budgets.MapPut("/{categoryId:long}", SetAsync)
            .Writes("SetCategoryBudget", "Sets a category's monthly budget from a month on (owners and members); answers that month's figures.", StatusCodes.Status200OK, typeof(ApiBudget));

        budgets.MapDelete("/{categoryId:long}", async Task<IResult> (long categoryId, BudgetService service, HouseholdScope scope, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageBudgets);
                if ((await service.ListAsync(false, ct)).FirstOrDefault(b => b.CategoryId == categoryId && b.MemberId is null) is not { } budget)
                {
                    return ApiProblems.NotFound("This household has no budget for that category.");
                }

                await service.ArchiveAsync(budget.Id, ct);
                return TypedResults.NoContent();
            })
            .Writes("RemoveCategoryBudget", "Removes a category's budget from the months after today's (earlier months keep showing it, as in the app).", StatusCodes.Status204NoContent, validation: false);

        return api;
    }

    private static async Task<IResult> SetAsync(
        long categoryId, ApiBudgetInput input, BudgetService service, HouseholdScope scope, CurrentHousehold household, CancellationToken ct)
    {
        ApiInput.Require(scope, HouseholdAction.ManageBudgets);
        var currency = household.Info!.BaseCurrency;
        ApiInput.SameCurrency(input.Currency, currency);
        var amount = ApiInput.Minor(ApiInput.Required(input.Amount, "amount", "Enter the monthly budget."), currency, "amount", allowZero: true);
        var from = ApiInput.Month(input.From, "from", await service.CurrentMonthAsync(ct));
        long budgetId;
        try
        {
            budgetId = await service.SetCategoryBudgetAsync(categoryId, from, amount, ct);
        }
        catch (ExpenseValidationException e)
        {
            throw ApiInput.Renamed(e, AmountNames);
        }

        if (input.Rollover is { } rollover)
        {
            await service.SetRolloverAsync(budgetId, rollover, ct);
        }

        var view = await service.GetMonthAsync(from, ct);
        return view.Categories.FirstOrDefault(r => r.BudgetId == budgetId) is { } row
            ? TypedResults.Ok(ToApi(row, view.Currency))
            : ApiProblems.NotFound("That category's budget is not shown for that month.");
    }

    private static readonly Dictionary<string, string> AmountNames = new(StringComparer.Ordinal) { ["AmountMinor"] = "amount" };

    private static ApiBudgetMonth ToApi(BudgetMonthView view) => new(
        view.Month.ToString(), view.Range.From, view.Range.To, view.Currency,
        view.Categories.Select(r => ToApi(r, view.Currency)).ToList(),
        view.Overall is { } overall ? ToApi(overall, view.Currency) : null,
        view.Allowances.Select(r => ToApi(r, view.Currency)).ToList(),
        ApiInput.Major(view.Unbudgeted.SpentMinor, view.Currency),
        ApiInput.Major(view.TotalSpentMinor, view.Currency),
        view.CanEdit);

    private static ApiBudget ToApi(BudgetRow row, string currency)
    {
        var f = row.Figures;
        return new ApiBudget(row.BudgetId, row.CategoryId, row.MemberId, row.Name,
            ApiInput.Major(f.BudgetMinor, currency), ApiInput.Major(f.CarriedMinor, currency), ApiInput.Major(f.AvailableMinor, currency),
            ApiInput.Major(f.SpentMinor, currency), ApiInput.Major(f.RemainingMinor, currency),
            f.PercentUsed is { } p ? Math.Round(p, 1) : null, f.State, row.Rollover, row.IsOverride, currency);
    }
}
