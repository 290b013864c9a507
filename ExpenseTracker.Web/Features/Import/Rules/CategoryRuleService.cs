using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Import.Rules;

public sealed record RuleItem(
    long Id,
    int Order,
    RuleField Field,
    RuleOperator Operator,
    string Pattern,
    long? MinAmountMinor,
    long? MaxAmountMinor,
    long? CategoryId,
    string? CategoryName,
    string? RenamePayee,
    string? Tags,
    bool Enabled);

public sealed record RuleInput(
    RuleField Field,
    RuleOperator Operator,
    string Pattern,
    long? MinAmountMinor = null,
    long? MaxAmountMinor = null,
    long? CategoryId = null,
    string? RenamePayee = null,
    string? Tags = null,
    bool Enabled = true);

/// <summary>The household's categorisation rules: list in order, add, edit, delete, reorder, and apply to existing expenses.</summary>
public sealed class CategoryRuleService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time)
{
    public const int PatternMaxLength = 200;
    public const int RenameMaxLength = 200;
    public const int TagsMaxLength = 400;
    private const int ApplyChunk = 500;

    public async Task<IReadOnlyList<RuleItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ViewHouseholdReports);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CategoryRules.AsNoTracking()
            .OrderBy(r => r.Order).ThenBy(r => r.Id)
            .Select(r => new RuleItem(r.Id, r.Order, r.Field, r.Operator, r.Pattern, r.MinAmountMinor, r.MaxAmountMinor,
                r.CategoryId, r.Category == null ? null : r.Category.Name, r.RenamePayee, r.Tags, r.Enabled))
            .ToListAsync(cancellationToken);
    }

    public async Task<long> CreateAsync(RuleInput input, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = new CategoryRule { Pattern = string.Empty, CreatedAt = time.GetUtcNow().UtcDateTime };
        await MapAsync(db, rule, input, cancellationToken);
        rule.Order = (await db.CategoryRules.Select(r => (int?)r.Order).MaxAsync(cancellationToken) ?? -1) + 1;
        db.CategoryRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        return rule.Id;
    }

    public async Task UpdateAsync(long id, RuleInput input, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await db.CategoryRules.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException("That rule");
        await MapAsync(db, rule, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await db.CategoryRules.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException("That rule");
        db.CategoryRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Moves a rule one place up (<paramref name="offset"/> −1) or down (+1); the orders are renumbered 0..n−1.</summary>
    public async Task MoveAsync(long id, int offset, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.CategoryRules.OrderBy(r => r.Order).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var index = rules.FindIndex(r => r.Id == id);
        if (index < 0)
        {
            throw new NotFoundException("That rule");
        }

        var target = Math.Clamp(index + Math.Sign(offset), 0, rules.Count - 1);
        (rules[index], rules[target]) = (rules[target], rules[index]);
        for (var i = 0; i < rules.Count; i++)
        {
            rules[i].Order = i;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Applies the enabled rules, in order, to the household's existing expenses, refunds and income the caller can see:
    /// a single-line transaction gets the rule's category, the rule's tags are added and the payee renamed. One database
    /// transaction; returns how many transactions changed.
    /// </summary>
    public async Task<int> ApplyToExistingAsync(CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.EditAnyTransaction);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var matcher = RuleMatcher.From(await db.CategoryRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(cancellationToken));
        if (matcher.Count == 0)
        {
            return 0;
        }

        var candidates = await db.Transactions.AsNoTracking().VisibleTo(scope)
            .Where(t => t.Kind == TransactionKind.Expense || t.Kind == TransactionKind.Refund || t.Kind == TransactionKind.Income)
            .Select(t => new { t.Id, t.Kind, t.AmountMinor, Payee = t.Payee == null ? null : t.Payee.Name, t.Notes })
            .ToListAsync(cancellationToken);
        var matches = new Dictionary<long, CompiledRule>();
        foreach (var c in candidates)
        {
            var signed = c.Kind == TransactionKind.Expense ? -c.AmountMinor : c.AmountMinor;
            if (matcher.FirstMatch(c.Payee, c.Notes, signed) is { } rule)
            {
                matches[c.Id] = rule;
            }
        }

        var tagsByRule = new Dictionary<long, List<Tag>>();
        var now = time.GetUtcNow().UtcDateTime;
        var changed = 0;
        foreach (var chunk in matches.Keys.Chunk(ApplyChunk))
        {
            var loaded = await db.HouseholdTransactions(scope.RequireHousehold()).Include(t => t.Lines).Include(t => t.Tags).Include(t => t.Payee)
                .Where(t => chunk.Contains(t.Id))
                .ToListAsync(cancellationToken);
            foreach (var t in loaded)
            {
                var rule = matches[t.Id];
                if (!tagsByRule.TryGetValue(rule.Id, out var tags))
                {
                    tags = await ExpenseService.FindOrCreateTagsAsync(db, rule.Tags, cancellationToken);
                    tagsByRule[rule.Id] = tags;
                }

                if (await ApplyAsync(db, t, rule, tags, cancellationToken))
                {
                    t.UpdatedAt = now;
                    t.UpdatedByMemberId = scope.MemberId;
                    changed++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    private static async Task<bool> ApplyAsync(AppDbContext db, Transaction t, CompiledRule rule, List<Tag> tags, CancellationToken cancellationToken)
    {
        var changed = false;
        if (rule.CategoryId is { } categoryId && t.Lines.Count == 1 && t.Lines[0].CategoryId != categoryId)
        {
            t.Lines[0].CategoryId = categoryId;
            changed = true;
        }

        foreach (var tag in tags)
        {
            // New tags have no id yet: compare by entity for those.
            if (!t.Tags.Any(x => (tag.Id != 0 && x.TagId == tag.Id) || ReferenceEquals(x.Tag, tag)))
            {
                t.Tags.Add(new TransactionTag { Tag = tag });
                changed = true;
            }
        }

        if (rule.RenamePayee is { } rename && t.Payee?.Key != TextKey.Fold(rename))
        {
            t.Payee = await ExpenseService.FindOrCreatePayeeAsync(db, rename, cancellationToken);
            changed = true;
        }

        return changed;
    }

    private static async Task MapAsync(AppDbContext db, CategoryRule rule, RuleInput input, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(input.Field))
        {
            throw new FieldValidationException(nameof(input.Field), "Choose whether the rule looks at the payee, the notes or both.");
        }

        if (!Enum.IsDefined(input.Operator))
        {
            throw new FieldValidationException(nameof(input.Operator), "Choose contains, equals or regular expression.");
        }

        var pattern = input.Pattern?.Trim() ?? string.Empty;
        if (pattern.Length == 0)
        {
            throw new FieldValidationException(nameof(input.Pattern), "Enter the text to look for.");
        }

        if (pattern.Length > PatternMaxLength)
        {
            throw new FieldValidationException(nameof(input.Pattern), $"The text can be at most {PatternMaxLength} characters.");
        }

        if (input.Operator == RuleOperator.Regex)
        {
            try
            {
                CompiledRule.CreateRegex(pattern);
            }
            catch (ArgumentException e)
            {
                throw new FieldValidationException(nameof(input.Pattern), "That regular expression is not valid: " + e.Message);
            }
        }

        if (input.MinAmountMinor < 0 || input.MaxAmountMinor < 0)
        {
            throw new FieldValidationException(nameof(input.MinAmountMinor), "Amount bounds apply to the amount without its sign: enter 0 or more.");
        }

        if (input.MinAmountMinor is { } min && input.MaxAmountMinor is { } max && min > max)
        {
            throw new FieldValidationException(nameof(input.MaxAmountMinor), "The largest amount must not be below the smallest.");
        }

        var rename = string.IsNullOrWhiteSpace(input.RenamePayee) ? null : input.RenamePayee.Trim();
        if (rename?.Length > RenameMaxLength)
        {
            throw new FieldValidationException(nameof(input.RenamePayee), $"A payee name can be at most {RenameMaxLength} characters.");
        }

        var tags = CompiledRule.SplitTags(input.Tags);
        var tagText = tags.Count == 0 ? null : string.Join(", ", tags);
        if (tagText?.Length > TagsMaxLength)
        {
            throw new FieldValidationException(nameof(input.Tags), $"The tags can be at most {TagsMaxLength} characters together.");
        }

        if (input.CategoryId is { } categoryId
            && !await db.Categories.AnyAsync(c => c.Id == categoryId && !c.Archived, cancellationToken))
        {
            throw new FieldValidationException(nameof(input.CategoryId), "Pick one of the household's categories.");
        }

        if (input.CategoryId is null && rename is null && tags.Count == 0)
        {
            throw new FieldValidationException(nameof(input.CategoryId), "A rule needs something to do: a category, tags or a new payee name.");
        }

        rule.Field = input.Field;
        rule.Operator = input.Operator;
        rule.Pattern = pattern;
        rule.MinAmountMinor = input.MinAmountMinor;
        rule.MaxAmountMinor = input.MaxAmountMinor;
        rule.CategoryId = input.CategoryId;
        rule.RenamePayee = rename;
        rule.Tags = tagText;
        rule.Enabled = input.Enabled;
    }
}
