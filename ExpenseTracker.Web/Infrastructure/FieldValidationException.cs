namespace ExpenseTracker.Web.Infrastructure;

/// <summary>A user-fixable problem with one field of a form (name taken, unknown currency, ...), shown inline.</summary>
public sealed class FieldValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
