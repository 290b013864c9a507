using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.PaymentAccounts;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>A payment account. <see cref="MaskedNumber"/> keeps only the last four characters of the number.</summary>
public sealed record ApiAccount(long Id, string Name, AccountKind Kind, string Currency, string? MaskedNumber, bool Archived, int TransactionCount);

/// <summary>
/// What POST and PUT send. <c>kind</c>: cash, checking, savings, creditCard. On PUT an absent field keeps the stored
/// value (<c>"number": ""</c> clears the number).
/// </summary>
public sealed record ApiAccountInput(string? Name, string? Kind, string? Currency, string? Number, bool? Archived);

/// <summary><c>/api/v1/accounts</c>: what the Accounts page does (add, edit, archive and unarchive; accounts are never deleted).</summary>
public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts");

        accounts.MapGet("/", async (PaymentAccountService service, string? page, string? pageSize, CancellationToken ct) =>
                TypedResults.Ok(ApiInput.Page(await ListAsync(service, ct), page, pageSize)))
            .Reads<ResourcePage<ApiAccount>>("ListAccounts", "The household's accounts, open ones first.");

        accounts.MapGet("/{id:long}", async Task<IResult> (long id, PaymentAccountService service, CancellationToken ct) =>
                await FindAsync(service, id, ct) is { } account ? TypedResults.Ok(account) : NotFound())
            .Reads<ApiAccount>("GetAccount", "One account.", byId: true);

        accounts.MapPost("/", CreateAsync)
            .Writes("CreateAccount", "Adds an account (owners and members).", StatusCodes.Status201Created, typeof(ApiAccount), byId: false);

        accounts.MapPut("/{id:long}", UpdateAsync)
            .Writes("UpdateAccount", "Renames or changes an account; \"archived\": true or false archives or reopens it.", StatusCodes.Status200OK, typeof(ApiAccount));

        accounts.MapDelete("/{id:long}", async Task<IResult> (long id, PaymentAccountService service, HouseholdScope scope, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
                await service.SetArchivedAsync(id, true, ct);
                return TypedResults.NoContent();
            })
            .Writes("ArchiveAccount", "Archives an account: it stays on past expenses but is not offered for new ones (the last open account stays open).", StatusCodes.Status204NoContent);

        return api;
    }

    private static async Task<IResult> CreateAsync(ApiAccountInput input, PaymentAccountService service, HouseholdScope scope, CancellationToken ct)
    {
        ApiInput.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
        var id = await service.CreateAsync(new AccountInput(input.Name ?? "", Kind(input.Kind), input.Currency ?? "", input.Number), ct);
        if (input.Archived == true)
        {
            await service.SetArchivedAsync(id, true, ct);
        }

        var created = (await FindAsync(service, id, ct))!;
        return TypedResults.Created($"{ApiServiceCollectionExtensions.Prefix}/accounts/{id}", created);
    }

    private static async Task<IResult> UpdateAsync(long id, ApiAccountInput input, PaymentAccountService service, HouseholdScope scope, CancellationToken ct)
    {
        ApiInput.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
        var current = await FindAsync(service, id, ct);
        if (current is null)
        {
            return NotFound();
        }

        var update = new AccountInput(input.Name ?? current.Name, input.Kind is null ? current.Kind : Kind(input.Kind),
            input.Currency ?? current.Currency, input.Number ?? current.MaskedNumber);
        // Archiving is checked first (the last open account stays open); if the edit is then refused, the state is put back.
        var archive = input.Archived is { } archived && archived != current.Archived;
        if (archive)
        {
            await service.SetArchivedAsync(id, input.Archived!.Value, ct);
        }

        try
        {
            await service.UpdateAsync(id, update, ct);
        }
        catch (FieldValidationException) when (archive)
        {
            await service.SetArchivedAsync(id, current.Archived, CancellationToken.None);
            throw;
        }

        return TypedResults.Ok((await FindAsync(service, id, ct))!);
    }

    private static AccountKind Kind(string? text) =>
        Enum.TryParse<AccountKind>(text, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _)
            ? kind
            : throw new FieldValidationException("kind", "Choose a kind of account: cash, checking, savings or creditCard.");

    private static async Task<IReadOnlyList<ApiAccount>> ListAsync(PaymentAccountService service, CancellationToken ct) =>
        (await service.ListAsync(ct)).Select(ToApi).ToList();

    private static async Task<ApiAccount?> FindAsync(PaymentAccountService service, long id, CancellationToken ct) =>
        (await ListAsync(service, ct)).FirstOrDefault(a => a.Id == id);

    private static ApiAccount ToApi(AccountItem a) => new(a.Id, a.Name, a.Kind, a.Currency, a.MaskedNumber, a.Archived, a.TransactionCount);

    private static IResult NotFound() => ApiProblems.NotFound("There is no such account in this household.");
}
