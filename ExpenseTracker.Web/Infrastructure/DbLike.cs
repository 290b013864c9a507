using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>
/// LIKE that ignores case on both engines: SQLite's LIKE folds ASCII letters by itself, PostgreSQL's LIKE is
/// case-sensitive and its ILIKE is not. The escape character is a backslash.
/// </summary>
public static class DbLike
{
    public static IQueryable<T> WhereLikeIgnoringCase<T>(this IQueryable<T> rows, DatabaseFacade database, Expression<Func<T, string>> column, string pattern)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(column);
        Expression<Func<string, bool>> like = database.IsNpgsql()
            ? value => EF.Functions.ILike(value, pattern, "\\")
            : value => EF.Functions.Like(value, pattern, "\\");
        var body = ReplacingExpressionVisitor.Replace(like.Parameters[0], column.Body, like.Body);
        return rows.Where(Expression.Lambda<Func<T, bool>>(body, column.Parameters));
    }

    /// <summary><paramref name="text"/> as a LIKE pattern of itself: its wildcards and backslashes taken literally.</summary>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
    }
}
