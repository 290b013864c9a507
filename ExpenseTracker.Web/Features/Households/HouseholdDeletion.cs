using System.Text.Json;
using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>
/// Deletes a household with all its rows. Foreign keys never cascade (see AppDbContext), so the rows go in
/// dependency order inside one database transaction. Later issues that add household-owned tables add them here.
/// Callers decide whether the deletion is allowed (e.g. the sole owner typed the household's name).
/// </summary>
public sealed class HouseholdDeletion(AppDbContext db, TimeProvider time, ILogger<HouseholdDeletion> logger, Infrastructure.StorageOptions storage)
{
    public async Task DeleteAsync(long householdId, CancellationToken cancellationToken = default)
    {
        // Joins an ambient transaction (e.g. deleting the owner's account); otherwise runs in its own.
        var own = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            // Explicit HouseholdId conditions with the query filters off: this runs outside any member's scope.
            // Import keys point at batches and accounts; transactions point at batches; rules at categories.
            await db.ImportKeys.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.OutboxMessages.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Notifications.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.NotificationPreferences.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.MemberNotificationSettings.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.PushSubscriptions.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.SavedSearches.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.PersonalAccessTokens.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            var checkpoint = Notifications.Alerts.SpendingAlerts.CheckpointName(householdId);
            await db.JobCheckpoints.Where(x => x.Name == checkpoint).ExecuteDeleteAsync(cancellationToken);
            await db.MemberShares.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Attachments.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            var tags = await db.TransactionTags.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            var lines = await db.TransactionLines.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            var transactions = await db.Transactions.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            var batches = await db.ImportBatches.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Bills.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.ImportProfiles.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.CategoryRules.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.BudgetAmounts.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Budgets.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Tags.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Payees.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Categories.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Accounts.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Invitations.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            var members = await db.Members.IgnoreQueryFilters().Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            await db.Users.Where(u => u.CurrentHouseholdId == householdId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentHouseholdId, (long?)null), cancellationToken);
            // The change log holds copies of the deleted rows (names, notes): they go too, leaving one line that says so.
            await db.ChangeLog.Where(x => x.HouseholdId == householdId).ExecuteDeleteAsync(cancellationToken);
            var deleted = await db.Households.IgnoreQueryFilters().Where(h => h.Id == householdId).ExecuteDeleteAsync(cancellationToken);
            if (deleted == 0)
            {
                throw new InvalidOperationException("That household does not exist.");
            }

            db.ChangeLog.Add(new ChangeLogEntry
            {
                Entity = nameof(Household),
                EntityId = householdId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Action = "BulkDeleted",
                AfterJson = JsonSerializer.Serialize(new { transactions, lines, tags, members, importBatches = batches }),
                HouseholdId = null,
                UserId = db.Scope.UserId,
                At = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            // The household's receipt files go with its rows (after the commit, or after the caller's rows when it joined one).
            new Attachments.AttachmentStore(storage).DeleteHousehold(householdId);
            logger.LogInformation("Deleted household {HouseholdId} with {Transactions} transaction(s) and {Members} member(s)", householdId, transactions, members);
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }
}
