using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ExpenseTracker.Web.Features.Import;

/// <summary>
/// Rows for one prepared <c>INSERT ... SELECT ... FROM json_each(@rows)</c> (<c>jsonb_array_elements</c> on PostgreSQL,
/// see <see cref="ImportDatabase"/>), sent a chunk at a time. One statement per
/// row costs SQLite a statement journal, an AUTOINCREMENT update and (through the search trigger) an FTS5 flush each
/// time: 50,000 one-row INSERTs into Transactions took ~10 s where the same rows in chunks take ~1 s. The statement
/// reads row values as <c>value-&gt;&gt;0</c>, <c>value-&gt;&gt;1</c>, ... in the order they were added.
/// </summary>
internal sealed class JsonRowBatch : IDisposable
{
    private readonly DbCommand command;
    private readonly DbParameter rowsParameter;
    private readonly int chunkRows;
    private readonly ArrayBufferWriter<byte> buffer = new(64 * 1024);
    private readonly Utf8JsonWriter json;
    private JsonRowBatch[] followers = [];
    private int rows;

    /// <summary>Takes over <paramref name="command"/>, which reads its rows from the parameter <c>@rows</c>.</summary>
    public JsonRowBatch(DbCommand command, int chunkRows)
    {
        this.command = command;
        rowsParameter = command.Parameters["@rows"];
        this.chunkRows = chunkRows;
        json = new Utf8JsonWriter(buffer);
    }

    /// <summary>
    /// Batches whose rows point at this one's (lines at their transaction): written right after each chunk of this one,
    /// never before it, so the foreign keys hold at every statement. Give them an unbounded chunk size.
    /// </summary>
    public void FollowedBy(params JsonRowBatch[] batches) => followers = batches;

    /// <summary>Binds a value used by every chunk (the household, the batch's time).</summary>
    public void Set(string parameter, object? value) => command.Parameters[parameter].Value = value ?? DBNull.Value;

    /// <summary>Adds one row (null, long, int, string, decimal, DateOnly) and writes the chunk when it is full.</summary>
    public async Task AddAsync(CancellationToken cancellationToken, params object?[] values)
    {
        if (rows == 0)
        {
            json.WriteStartArray();
        }

        json.WriteStartArray();
        foreach (var value in values)
        {
            switch (value)
            {
                case null:
                    json.WriteNullValue();
                    break;
                case long number:
                    json.WriteNumberValue(number);
                    break;
                case int number:
                    json.WriteNumberValue(number);
                    break;
                case string text:
                    json.WriteStringValue(text);
                    break;
                // Stored as EF stores them: decimal as invariant TEXT, DateOnly as yyyy-MM-dd.
                case decimal number:
                    json.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                    break;
                case DateOnly date:
                    json.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new ArgumentException($"A {value.GetType().Name} cannot be sent as a JSON row value.", nameof(values));
            }
        }

        json.WriteEndArray();
        if (++rows >= chunkRows)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes what is buffered (nothing when empty).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (rows == 0)
        {
            return;
        }

        json.WriteEndArray();
        json.Flush();
        rowsParameter.Value = Encoding.UTF8.GetString(buffer.WrittenSpan);
        rows = 0;
        json.Reset();
        buffer.ResetWrittenCount();
        await command.ExecuteNonQueryAsync(cancellationToken);
        foreach (var follower in followers)
        {
            await follower.FlushAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        json.Dispose();
        command.Dispose();
    }
}
