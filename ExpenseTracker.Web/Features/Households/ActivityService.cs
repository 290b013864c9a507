using System.Globalization;
using System.Text.Json;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>
/// The household's activity feed, read from the ChangeLog: newest first, paged, one readable sentence per change
/// with before/after for edits. Others' private transactions show without details; children see only entries
/// about their own transactions; invitations (email addresses) only owners see.
/// </summary>
public sealed class ActivityService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope)
{
    public const int MaxPageSize = 100;

    private static readonly string[] AdultEntities =
        [nameof(Transaction), nameof(Member), nameof(Category), nameof(PaymentAccount), nameof(Household)];

    private static readonly HashSet<string> Unshown =
    [
        nameof(Transaction.Id), nameof(Transaction.HouseholdId), nameof(Transaction.Version), nameof(Transaction.UpdatedAt),
        nameof(Transaction.UpdatedByMemberId), nameof(Transaction.CreatedAt), nameof(Transaction.CreatedByMemberId),
        nameof(Transaction.DeletedAt), nameof(Transaction.DeletedByMemberId), nameof(Transaction.NotesKey), nameof(Payee.Key),
        nameof(Invitation.TokenHash),
    ];

    public async Task<ActivityPage> ListAsync(int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.ViewActivity, cancellationToken);
        var householdId = me.HouseholdId;
        var memberId = me.MemberId;
        // The change log has no query filter of its own: the household condition is explicit.
        var query = db.ChangeLog.AsNoTracking().Where(c => c.HouseholdId == householdId);
        if (me.Role == MemberRole.Child)
        {
            var own = db.Transactions.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter])
                .Where(t => t.PaidByMemberId == memberId || t.CreatedByMemberId == memberId)
#pragma warning disable CA1305 // Translated to SQL (CAST AS TEXT); never formatted by .NET.
                .Select(t => t.Id.ToString());
#pragma warning restore CA1305
            query = query.Where(c => c.Entity == nameof(Transaction) && own.Contains(c.EntityId));
        }
        else
        {
            var entities = me.Role == MemberRole.Owner ? [.. AdultEntities, nameof(Invitation)] : AdultEntities;
            query = query.Where(c => entities.Contains(c.Entity) || (c.Action.StartsWith("Bulk") && c.Entity != nameof(Invitation)));
        }

        take = Math.Clamp(take, 1, MaxPageSize);
        var rows = await query.OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Skip(Math.Max(0, skip)).Take(take + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > take;
        rows = rows.Take(take).ToList();

        var context = await LoadContextAsync(db, rows, cancellationToken);
        return new ActivityPage(rows.Select(r => Describe(r, context, memberId)).ToList(), hasMore);
    }

    private sealed record Names(
        string Currency,
        CultureInfo Culture,
        Dictionary<long, string> Members,
        Dictionary<string, string> MembersByUser,
        Dictionary<long, string> Accounts,
        Dictionary<long, string> Categories,
        Dictionary<long, string> Payees,
        Dictionary<long, (bool IsPrivate, long? CreatedBy)> Transactions);

    private static async Task<Names> LoadContextAsync(AppDbContext db, List<ChangeLogEntry> rows, CancellationToken cancellationToken)
    {
        var household = await db.Households.AsNoTracking().Select(h => new { h.BaseCurrency, h.Culture }).FirstAsync(cancellationToken);
        var members = await db.Members.AsNoTracking().Select(m => new { m.Id, m.UserId, m.DisplayName }).ToListAsync(cancellationToken);
        var transactionIds = rows.Where(r => r.Entity == nameof(Transaction))
            .Select(r => long.TryParse(r.EntityId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().ToArray();
        var transactions = await db.Transactions.AsNoTracking().IgnoreQueryFilters([AppDbContext.SoftDeleteFilter])
            .Where(t => transactionIds.Contains(t.Id))
            .Select(t => new { t.Id, t.IsPrivate, t.CreatedByMemberId })
            .ToDictionaryAsync(t => t.Id, t => (t.IsPrivate, t.CreatedByMemberId), cancellationToken);
        var payeeIds = rows.SelectMany(r => new[] { Read(r.BeforeJson, nameof(Transaction.PayeeId)), Read(r.AfterJson, nameof(Transaction.PayeeId)) })
            .Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().ToArray();
        return new Names(
            household.BaseCurrency,
            CultureInfo.GetCultureInfo(household.Culture),
            members.ToDictionary(m => m.Id, m => m.DisplayName),
            members.Where(m => m.UserId != null).GroupBy(m => m.UserId!).ToDictionary(g => g.Key, g => g.First().DisplayName),
            await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken),
            await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken),
            await db.Payees.AsNoTracking().Where(p => payeeIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken),
            transactions);
    }

    private static ActivityEntry Describe(ChangeLogEntry row, Names names, long me)
    {
        var who = row.UserId is null ? "ExpenseTracker"
            : names.MembersByUser.TryGetValue(row.UserId, out var name) ? name : "A former member";
        var before = Parse(row.BeforeJson);
        var after = Parse(row.AfterJson);
        var latest = after.Count > 0 ? after : before;
        string Field(string key) => latest.GetValueOrDefault(key) ?? string.Empty;

        if (row.Entity == nameof(Transaction) && row.EntityId != "*")
        {
            var id = long.Parse(row.EntityId, CultureInfo.InvariantCulture);
            var current = names.Transactions.GetValueOrDefault(id);
            var author = current.CreatedBy ?? ToLong(Field(nameof(Transaction.CreatedByMemberId)));
            var isPrivate = current.IsPrivate || Field(nameof(Transaction.IsPrivate)) == "true" || before.GetValueOrDefault(nameof(Transaction.IsPrivate)) == "true";
            if (isPrivate && author != me)
            {
                return new ActivityEntry(row.Id, row.At, who, row.Entity, row.EntityId, row.Action,
                    $"{who} {Verb(row.Action)} a private transaction", [], true);
            }

            var kind = KindPhrase(Field(nameof(Transaction.Kind)));
            var amount = Format(nameof(Transaction.AmountMinor), Field(nameof(Transaction.AmountMinor)), names);
            var payee = Format(nameof(Transaction.PayeeId), Field(nameof(Transaction.PayeeId)), names);
            var summary = $"{who} {Verb(row.Action)} {kind} of {amount}" + (string.IsNullOrEmpty(payee) ? string.Empty : $" ({payee})");
            return new ActivityEntry(row.Id, row.At, who, row.Entity, row.EntityId, row.Action, summary, Diff(row, before, after, names), isPrivate);
        }

        var text = row.Entity switch
        {
            _ when row.Action.StartsWith("Bulk", StringComparison.Ordinal) => $"{who} changed several {Plural(row.Entity)} at once",
            nameof(Member) => DescribeMember(row, who, before, after),
            nameof(Category) => $"{who} {Verb(row.Action)} the category {Field(nameof(Category.Name))}",
            nameof(PaymentAccount) => $"{who} {Verb(row.Action)} the account {Field(nameof(PaymentAccount.Name))}",
            nameof(Household) => row.Action == "Added" ? $"{who} created the household {Field(nameof(Household.Name))}" : $"{who} changed the household settings",
            nameof(Invitation) => row.Action switch
            {
                "Added" => $"{who} invited {Field(nameof(Invitation.Email))} as {RoleOf(Field(nameof(Invitation.Role)))}",
                "Accepted" => $"{who} accepted an invitation",
                _ when after.GetValueOrDefault(nameof(Invitation.RevokedAt)) is { Length: > 0 } && before.GetValueOrDefault(nameof(Invitation.RevokedAt)) is null
                    => $"{who} withdrew the invitation for {Field(nameof(Invitation.Email))}",
                _ => $"{who} {Verb(row.Action)} an invitation",
            },
            _ => $"{who} {Verb(row.Action)} {row.Entity}",
        };
        return new ActivityEntry(row.Id, row.At, who, row.Entity, row.EntityId, row.Action, text, Diff(row, before, after, names), false);
    }

    private static string DescribeMember(ChangeLogEntry row, string who, Dictionary<string, string?> before, Dictionary<string, string?> after)
    {
        var name = (after.Count > 0 ? after : before).GetValueOrDefault(nameof(Member.DisplayName)) ?? "someone";
        if (row.Action == "Added")
        {
            return who == name ? $"{name} joined the household" : $"{who} added {name}";
        }

        var leftBefore = before.GetValueOrDefault(nameof(Member.LeftAt));
        var leftAfter = after.GetValueOrDefault(nameof(Member.LeftAt));
        if (leftBefore is null && leftAfter is not null)
        {
            return who == name ? $"{name} left the household" : $"{who} removed {name} from the household";
        }

        if (leftBefore is not null && leftAfter is null)
        {
            return $"{name} joined the household again";
        }

        var roleBefore = before.GetValueOrDefault(nameof(Member.Role));
        var roleAfter = after.GetValueOrDefault(nameof(Member.Role));
        return roleBefore != roleAfter ? $"{who} made {name} {RoleOf(roleAfter)}" : $"{who} changed {name}'s details";
    }

    private static List<FieldChange> Diff(ChangeLogEntry row, Dictionary<string, string?> before, Dictionary<string, string?> after, Names names)
    {
        if (row.Action != "Modified" || before.Count == 0 || after.Count == 0)
        {
            return [];
        }

        return after.Keys
            .Where(k => !Unshown.Contains(k) && before.GetValueOrDefault(k) != after[k])
            .Select(k => new FieldChange(k, Format(k, before.GetValueOrDefault(k), names), Format(k, after[k], names)))
            .ToList();
    }

    private static string? Format(string field, string? value, Names names)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var id = ToLong(value);
        return field switch
        {
            nameof(Transaction.AmountMinor) when id is { } minor => Money.Format(minor, names.Currency, names.Culture),
            nameof(Transaction.PayeeId) when id is { } payee => names.Payees.GetValueOrDefault(payee),
            nameof(Transaction.AccountId) or nameof(Transaction.ToAccountId) when id is { } account => names.Accounts.GetValueOrDefault(account, value),
            nameof(Transaction.PaidByMemberId) when id is { } member => names.Members.GetValueOrDefault(member, value),
            nameof(TransactionLine.CategoryId) when id is { } category => names.Categories.GetValueOrDefault(category, value),
            nameof(Transaction.Kind) when id is { } kind => ((TransactionKind)kind).ToString(),
            nameof(Member.Role) when id is { } role => ((MemberRole)role).ToString(),
            _ => value,
        };
    }

    private static long? ToLong(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Verb(string action) => action switch
    {
        "Added" => "added",
        "Modified" => "changed",
        "SoftDeleted" or "Deleted" => "deleted",
        "Restored" => "restored",
        _ => action.ToLowerInvariant(),
    };

    private static string KindPhrase(string kind) => ToLong(kind) switch
    {
        (long)TransactionKind.Refund => "a refund",
        (long)TransactionKind.Income => "income",
        (long)TransactionKind.Transfer => "a transfer",
        (long)TransactionKind.Settlement => "a settlement",
        _ => "an expense",
    };

    private static string RoleOf(string? role) => ToLong(role) is { } r ? InvitationService.RoleName((MemberRole)r) : "a member";

    private static string Plural(string entity) => entity switch
    {
        nameof(Transaction) => "transactions",
        nameof(Category) => "categories",
        nameof(PaymentAccount) => "accounts",
        nameof(Household) => "households",
        _ => entity.ToLowerInvariant() + "s",
    };

    private static Dictionary<string, string?> Parse(string? json)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return values;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return values;
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => property.Value.GetRawText(),
            };
        }

        return values;
    }

    private static string? Read(string? json, string key) => Parse(json).GetValueOrDefault(key);
}
