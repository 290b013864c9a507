using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Expenses;

/// <summary>The shape checks of an expense that need no database; ownership checks live in <see cref="ExpenseService"/>.</summary>
public static class ExpenseValidator
{
    public const int NotesMaxLength = 1000;
    public const int PayeeMaxLength = 200;
    public const int TagMaxLength = 40;
    public const int MaxTags = 20;
    public static readonly DateOnly MinDate = new(1900, 1, 1);
    public static readonly DateOnly MaxDate = new(2100, 12, 31);

    public static Dictionary<string, string[]> Validate(ExpenseInput input, string currency)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        var max = Money.ToMinor(Money.MaxMajorAmount, currency);
        if (input.AmountMinor <= 0)
        {
            Add(nameof(input.AmountMinor), "Enter an amount greater than zero.");
        }
        else if (input.AmountMinor > max)
        {
            Add(nameof(input.AmountMinor), $"The amount must be at most {Money.Format(max, currency, System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (input.Date < MinDate || input.Date > MaxDate)
        {
            Add(nameof(input.Date), "Pick a date between 1900 and 2100.");
        }

        if (input.Notes?.Length > NotesMaxLength)
        {
            Add(nameof(input.Notes), $"Notes can be at most {NotesMaxLength} characters.");
        }

        if (input.Payee?.Trim().Length > PayeeMaxLength)
        {
            Add(nameof(input.Payee), $"The payee can be at most {PayeeMaxLength} characters.");
        }

        if (input.Tags.Count > MaxTags)
        {
            Add(nameof(input.Tags), $"Use at most {MaxTags} tags.");
        }

        if (input.Tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Trim().Length > TagMaxLength))
        {
            Add(nameof(input.Tags), $"Tags must be 1 to {TagMaxLength} characters.");
        }

        if (input.AccountId <= 0)
        {
            Add(nameof(input.AccountId), "Choose an account.");
        }

        switch (input.Kind)
        {
            case TransactionKind.Transfer:
                if (input.ToAccountId is null or <= 0)
                {
                    Add(nameof(input.ToAccountId), "Choose the account the money goes to.");
                }
                else if (input.ToAccountId == input.AccountId)
                {
                    Add(nameof(input.ToAccountId), "A transfer needs two different accounts.");
                }

                if (input.Lines.Count > 0)
                {
                    Add(nameof(input.Lines), "A transfer between your own accounts has no category.");
                }

                break;
            case TransactionKind.Expense or TransactionKind.Refund:
                if (input.Lines.Count == 0)
                {
                    Add(nameof(input.Lines), "Choose a category.");
                }

                break;
        }

        if (input.Lines.Count > 0)
        {
            if (input.Lines.Any(l => l.CategoryId <= 0))
            {
                Add(nameof(input.Lines), "Every split needs a category.");
            }

            if (input.Lines.Any(l => l.AmountMinor <= 0))
            {
                Add(nameof(input.Lines), "Every split needs an amount greater than zero.");
            }
            else if (input.AmountMinor > 0 && input.Lines.Sum(l => l.AmountMinor) != input.AmountMinor)
            {
                Add(nameof(input.Lines), "The category splits must add up to the amount.");
            }
        }

        if (input.OriginalCurrency is not null)
        {
            if (!Currencies.IsKnown(input.OriginalCurrency))
            {
                Add(nameof(input.OriginalCurrency), "Unknown currency code.");
            }

            if (input.OriginalAmountMinor is null or <= 0)
            {
                Add(nameof(input.OriginalAmountMinor), "Enter the amount in the original currency.");
            }

            if (input.ExchangeRate is null or <= 0)
            {
                Add(nameof(input.ExchangeRate), "Enter an exchange rate greater than zero.");
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
