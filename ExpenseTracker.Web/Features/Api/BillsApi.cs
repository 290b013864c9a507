using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>
/// A recurring bill. <c>kind</c>: monthlyOnDay, weekly, everyNWeeks, everyNMonths, yearly; <see cref="NextDue"/> is the
/// occurrence still to pay (null when the schedule has ended). Amounts in <see cref="Currency"/>, the household's.
/// </summary>
public sealed record ApiBill(
    long Id, string Name, string? Payee, long? CategoryId, string? CategoryName, decimal Amount, string Currency, bool IsEstimate,
    decimal? MinAmount, decimal? MaxAmount, BillScheduleKind Kind, int Interval, int? DayOfMonth, DayOfWeek? DayOfWeek, int? Month,
    DateOnly Start, DateOnly? End, int ReminderLeadDays, bool AutoCreate, long? AccountId, long? OwnerMemberId, DateOnly? NextDue, bool Archived);

/// <summary>What POST and PUT send; the schedule fields follow the bill dialog (dayOfMonth for monthly kinds, month for yearly).</summary>
public sealed record ApiBillInput(
    string? Name, string? Payee, long? CategoryId, decimal? Amount, string? Currency, bool? IsEstimate, decimal? MinAmount, decimal? MaxAmount,
    BillScheduleKind? Kind, int? Interval, int? DayOfMonth, DayOfWeek? DayOfWeek, int? Month, DateOnly? Start, DateOnly? End,
    int? ReminderLeadDays, bool? AutoCreate, long? AccountId, long? OwnerMemberId);

/// <summary>Paying the due occurrence: <c>amount</c> defaults to the bill's, <c>date</c> to today.</summary>
public sealed record ApiBillPayment(decimal? Amount, string? Currency, DateOnly? Date);

public sealed record ApiBillPaid(long TransactionId, ApiBill Bill);

/// <summary><c>/api/v1/bills</c>: what the Bills page does (add, edit, archive, mark the due occurrence paid).</summary>
public static class BillsApi
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        [nameof(BillInput.AmountMinor)] = "amount",
        [nameof(BillInput.MinAmountMinor)] = "minAmount",
        [nameof(BillInput.MaxAmountMinor)] = "maxAmount",
    };

    public static RouteGroupBuilder MapBillsApi(this RouteGroupBuilder api)
    {
        var bills = api.MapGroup("/bills").WithTags("Bills");

        bills.MapGet("/", async (BillService service, string? includeArchived, string? page, string? pageSize, CancellationToken ct) =>
                TypedResults.Ok(ApiInput.Page((await service.ListAsync(includeArchived == "true", ct)).Select(ToApi).ToList(), page, pageSize)))
            .Reads<ResourcePage<ApiBill>>("ListBills", "The household's bills by name (a child sees their own); archived ones with includeArchived=true.");

        bills.MapGet("/{id:long}", async Task<IResult> (long id, BillService service, CancellationToken ct) =>
                await FindAsync(service, id, ct) is { } bill ? TypedResults.Ok(bill) : NotFound())
            .Reads<ApiBill>("GetBill", "One bill.", byId: true);

        bills.MapPost("/", async Task<IResult> (ApiBillInput input, BillService service, HouseholdScope scope, CurrentHousehold household, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageBills);
                var id = await Renaming(() => service.AddAsync(ToInput(input, household.Info!.BaseCurrency), ct));
                return TypedResults.Created($"{ApiServiceCollectionExtensions.Prefix}/bills/{id}", (await FindAsync(service, id, ct))!);
            })
            .Writes("CreateBill", "Adds a bill (owners and members).", StatusCodes.Status201Created, typeof(ApiBill), byId: false);

        bills.MapPut("/{id:long}", async Task<IResult> (long id, ApiBillInput input, BillService service, HouseholdScope scope, CurrentHousehold household, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageBills);
                await Renaming(async () =>
                {
                    await service.EditAsync(id, ToInput(input, household.Info!.BaseCurrency), ct);
                    return id;
                });
                return TypedResults.Ok((await FindAsync(service, id, ct))!);
            })
            .Writes("UpdateBill", "Replaces a bill's details; a new schedule keeps an unpaid occurrence due.", StatusCodes.Status200OK, typeof(ApiBill));

        bills.MapDelete("/{id:long}", async Task<IResult> (long id, BillService service, HouseholdScope scope, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageBills);
                await service.SetArchivedAsync(id, true, ct);
                return TypedResults.NoContent();
            })
            .Writes("ArchiveBill", "Archives a bill (as the app's Delete does): no more reminders; paid expenses stay.", StatusCodes.Status204NoContent, validation: false);

        bills.MapPost("/{id:long}/paid", async Task<IResult> (long id, ApiBillPayment? payment, BillService service, HouseholdScope scope, CurrentHousehold household, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageBills);
                var currency = household.Info!.BaseCurrency;
                ApiInput.SameCurrency(payment?.Currency, currency);
                long? amount = payment?.Amount is { } a ? ApiInput.Minor(a, currency, "amount") : null;
                var transactionId = await service.MarkPaidAsync(id, amount, payment?.Date, ct);
                return TypedResults.Ok(new ApiBillPaid(transactionId, (await FindAsync(service, id, ct))!));
            })
            .Writes("MarkBillPaid", "Records the due occurrence as an expense and moves the bill to its next due date.", StatusCodes.Status200OK, typeof(ApiBillPaid));

        return api;
    }

    private static async Task<long> Renaming(Func<Task<long>> action)
    {
        try
        {
            return await action();
        }
        catch (ExpenseValidationException e)
        {
            throw ApiInput.Renamed(e, Names);
        }
    }

    private static BillInput ToInput(ApiBillInput input, string currency)
    {
        ApiInput.SameCurrency(input.Currency, currency);
        var defaults = new BillInput();
        return new BillInput
        {
            Name = input.Name ?? "",
            Payee = input.Payee,
            CategoryId = input.CategoryId,
            AmountMinor = ApiInput.Minor(ApiInput.Required(input.Amount, "amount", "Enter an amount greater than zero."), currency, "amount"),
            IsEstimate = input.IsEstimate ?? false,
            MinAmountMinor = input.MinAmount is { } min ? ApiInput.Minor(min, currency, "minAmount") : null,
            MaxAmountMinor = input.MaxAmount is { } max ? ApiInput.Minor(max, currency, "maxAmount") : null,
            Kind = input.Kind ?? defaults.Kind,
            Interval = input.Interval ?? defaults.Interval,
            DayOfMonth = input.DayOfMonth,
            DayOfWeek = input.DayOfWeek,
            Month = input.Month,
            Start = ApiInput.Required(input.Start, "start", "Give the date of the first payment (yyyy-MM-dd)."),
            End = input.End,
            ReminderLeadDays = input.ReminderLeadDays ?? defaults.ReminderLeadDays,
            AutoCreate = input.AutoCreate ?? false,
            AccountId = input.AccountId,
            OwnerMemberId = input.OwnerMemberId,
        };
    }

    private static async Task<ApiBill?> FindAsync(BillService service, long id, CancellationToken ct) =>
        (await service.ListAsync(true, ct)).Where(b => b.Id == id).Select(ToApi).FirstOrDefault();

    private static ApiBill ToApi(BillDetails b) => new(
        b.Id, b.Name, b.PayeeName, b.CategoryId, b.CategoryName, ApiInput.Major(b.AmountMinor, b.Currency), b.Currency, b.IsEstimate,
        b.MinAmountMinor is { } min ? ApiInput.Major(min, b.Currency) : null, b.MaxAmountMinor is { } max ? ApiInput.Major(max, b.Currency) : null,
        b.Kind, b.Interval, b.DayOfMonth, b.DayOfWeek, b.Month, b.Start, b.End, b.ReminderLeadDays, b.AutoCreate, b.AccountId,
        b.OwnerMemberId, b.NextDue, b.Archived);

    private static IResult NotFound() => ApiProblems.NotFound("There is no such bill in this household.");
}
