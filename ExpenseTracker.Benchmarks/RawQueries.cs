using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// The baseline: what the expense list needs (count, spending total, first 50 rows with their categories and tags),
/// written by hand against Microsoft.Data.Sqlite. Uses the same indexes and returns the same figures as the service.
/// </summary>
internal sealed class RawQueries(string connectionString, long householdId)
{
    public (int Count, long Spending, int Rows) FirstPage(long? categoryId, DateOnly? from, DateOnly? to)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var where = new StringBuilder("t.HouseholdId = $h AND t.DeletedAt IS NULL");
        if (from is not null)
        {
            where.Append(" AND t.Date >= $from AND t.Date <= $to");
        }

        if (categoryId is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM TransactionLines x WHERE x.TransactionId = t.Id AND x.HouseholdId = $h AND x.CategoryId = $c)");
        }

        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$h", householdId);
        command.Parameters.AddWithValue("$c", categoryId ?? 0);
        command.Parameters.AddWithValue("$from", (from ?? DateOnly.MinValue).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$to", (to ?? DateOnly.MaxValue).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        command.CommandText = $"SELECT COUNT(*) FROM Transactions t WHERE {where}";
        var count = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);

        command.CommandText = categoryId is null
            ? $"SELECT COALESCE(SUM(CASE WHEN t.Kind = 1 THEN -t.AmountMinor ELSE t.AmountMinor END), 0) FROM Transactions t WHERE {where} AND t.Kind IN (0, 1)"
            : $"""
               SELECT COALESCE(SUM(CASE WHEN t.Kind = 1 THEN -l.AmountMinor ELSE l.AmountMinor END), 0)
               FROM TransactionLines l JOIN Transactions t ON t.Id = l.TransactionId
               WHERE l.HouseholdId = $h AND l.CategoryId = $c AND {where} AND t.Kind IN (0, 1)
               """;
        var spending = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);

        command.CommandText = $"""
            SELECT t.Id, t.Version, t.Date, t.Kind, t.AmountMinor, p.Name, t.Notes, a.Name, ta.Name, m.DisplayName
            FROM Transactions t
            LEFT JOIN Payees p ON p.Id = t.PayeeId
            JOIN Accounts a ON a.Id = t.AccountId
            LEFT JOIN Accounts ta ON ta.Id = t.ToAccountId
            LEFT JOIN Members m ON m.Id = t.PaidByMemberId
            WHERE {where}
            ORDER BY t.Date DESC, t.Id DESC
            LIMIT 50
            """;
        var ids = new List<long>(50);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
                _ = (reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9));
            }
        }

        if (ids.Count > 0)
        {
            var list = string.Join(",", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));
            command.CommandText = $"""
                SELECT l.TransactionId, l.CategoryId, c.Name, c.Color, c.Icon FROM TransactionLines l JOIN Categories c ON c.Id = l.CategoryId
                WHERE l.TransactionId IN ({list}) ORDER BY l.TransactionId, l.AmountMinor DESC;
                SELECT tt.TransactionId, g.Name FROM TransactionTags tt JOIN Tags g ON g.Id = tt.TagId WHERE tt.TransactionId IN ({list});
                """;
            using var reader = command.ExecuteReader();
            do
            {
                while (reader.Read())
                {
                    _ = reader.GetInt64(0);
                }
            }
            while (reader.NextResult());
        }

        return (count, spending, ids.Count);
    }
}
