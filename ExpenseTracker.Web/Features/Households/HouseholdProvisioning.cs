using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Households;

public sealed record NewHousehold(string Name, string BaseCurrency, string TimeZoneId, string Culture, string OwnerDisplayName);

/// <summary>Creates a household for a person exactly as registration does: owner membership, default categories, a Cash account.</summary>
public sealed class HouseholdProvisioning(AppDbContext db, HouseholdScope scope, TimeProvider time)
{
    public static readonly IReadOnlyList<(string Name, string Color, string Icon)> DefaultCategories =
    [
        ("Groceries", "#2E7D32", "ShoppingCart"),
        ("Dining out", "#EF6C00", "Restaurant"),
        ("Transport", "#1565C0", "DirectionsCar"),
        ("Housing", "#6D4C41", "Home"),
        ("Utilities", "#00838F", "Bolt"),
        ("Health", "#C62828", "LocalHospital"),
        ("Kids", "#AD1457", "ChildCare"),
        ("Entertainment", "#6A1B9A", "Movie"),
        ("Shopping", "#283593", "ShoppingBag"),
        ("Travel", "#00695C", "Flight"),
        ("Gifts", "#D81B60", "CardGiftcard"),
        ("Other", "#546E7A", "Category"),
    ];

    public static readonly IReadOnlyList<string> MemberColors =
        ["#1E88E5", "#D81B60", "#43A047", "#FB8C00", "#8E24AA", "#00ACC1", "#6D4C41", "#3949AB"];

    public async Task<Household> CreateAsync(AppUser owner, NewHousehold input, CancellationToken cancellationToken = default)
    {
        if (!Currencies.IsKnown(input.BaseCurrency))
        {
            throw new ArgumentException($"'{input.BaseCurrency}' is not an ISO 4217 currency code.", nameof(input));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var household = new Household
        {
            Name = input.Name.Trim(),
            BaseCurrency = input.BaseCurrency,
            TimeZoneId = TimeZoneInfo.TryFindSystemTimeZoneById(input.TimeZoneId, out _) ? input.TimeZoneId : "UTC",
            Culture = input.Culture,
            CreatedAt = now,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Households.Add(household);
        await db.SaveChangesAsync(cancellationToken);

        // Household-owned rows may only be written inside a scope bound to their household.
        var previous = (scope.HouseholdId, scope.MemberId, scope.UserId, scope.Role);
        scope.Set(household.Id, null, owner.Id, MemberRole.Owner);
        try
        {
            var member = new Member
            {
                HouseholdId = household.Id,
                UserId = owner.Id,
                Role = MemberRole.Owner,
                DisplayName = string.IsNullOrWhiteSpace(input.OwnerDisplayName) ? owner.Email ?? "Owner" : input.OwnerDisplayName.Trim(),
                Color = MemberColors[0],
                JoinedAt = now,
            };
            db.Members.Add(member);
            var order = 0;
            foreach (var (name, color, icon) in DefaultCategories)
            {
                db.Categories.Add(new Category { HouseholdId = household.Id, Name = name, Color = color, Icon = icon, SortOrder = order++ });
            }

            db.Accounts.Add(new PaymentAccount { HouseholdId = household.Id, Name = "Cash", Kind = AccountKind.Cash, Currency = input.BaseCurrency });
            await db.SaveChangesAsync(cancellationToken);
            owner.CurrentHouseholdId = household.Id;
            await db.Users.Where(u => u.Id == owner.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentHouseholdId, household.Id), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            if (previous.HouseholdId is { } id)
            {
                scope.Set(id, previous.MemberId, previous.UserId, previous.Role);
            }
            else
            {
                scope.Clear();
            }
        }

        return household;
    }
}
