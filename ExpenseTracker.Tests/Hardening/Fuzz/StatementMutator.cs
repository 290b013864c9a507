using System.IO.Compression;
using System.Text;

namespace ExpenseTracker.Tests.Hardening.Fuzz;

/// <summary>One mutated statement: what was done to which fixture, and the bytes to import.</summary>
public sealed record MutatedFile(string Format, string Source, string Mutation, string FileName, byte[] Content, int Seed)
{
    public override string ToString() => $"{Format} #{Seed}: {Mutation} of {Source} ({Content.Length:N0} bytes)";
}

/// <summary>
/// Seeded mutations of real statements: the same (format, seed) always gives the same bytes, so a failure names
/// the seed that reproduces it. Text formats get truncation, byte flips, inserted and duplicated chunks, huge fields,
/// wrong encodings and BOMs; XML formats deep nesting and entity expansion; XLSX zip bombs, a corrupt directory and
/// missing parts. Shared by the CI suite (Tests/Hardening) and the `fuzz` benchmark (linked source file).
/// </summary>
public sealed class StatementMutator
{
    public const string Xlsx = "xlsx";

    /// <summary>The formats fuzzed: the fixture folder name, or <see cref="Xlsx"/> (workbooks built from the CSV fixtures).</summary>
    public static IReadOnlyList<string> Formats { get; } = ["csv", Xlsx, "ofx", "qif", "camt", "mt940"];

    private const int HugeField = 5 * 1024 * 1024;
    private const int WideColumns = 100_000;
    private const int DeepNesting = 100_000;

    private readonly Dictionary<string, IReadOnlyList<(string Name, byte[] Bytes)>> seeds = new(StringComparer.Ordinal);
    private readonly Lazy<byte[]> bombSheet = new(() => Deflated(1L << 30));

    static StatementMutator() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public StatementMutator(string fixtureRoot)
    {
        foreach (var format in Formats.Where(f => f != Xlsx))
        {
            seeds[format] = [.. Directory.EnumerateFiles(Path.Combine(fixtureRoot, format)).Order(StringComparer.Ordinal)
                .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];
        }

        seeds[Xlsx] = [.. seeds["csv"].Select(s => (Path.ChangeExtension(s.Name, ".xlsx"), Workbook(s.Bytes)))];
    }

    public MutatedFile Mutate(string format, int seed)
    {
        var random = new Random(unchecked((StableHash(format) * 1_000_003) + seed));
        var sources = seeds[format];
        var (name, original) = sources[random.Next(sources.Count)];
        var (mutation, bytes) = format == Xlsx ? MutateWorkbook(original, random) : MutateText(format, original, random);
        var fileName = format == "csv" && mutation.Contains("tsv", StringComparison.Ordinal) ? Path.ChangeExtension(name, ".tsv") : name;
        return new MutatedFile(format, name, mutation, fileName, bytes, seed);
    }

    // ---- Text formats (CSV/TSV, OFX/QFX, QIF, CAMT, MT940) ----

    private static (string, byte[]) MutateText(string format, byte[] original, Random random)
    {
        var xml = format is "camt" || (format == "ofx" && Encoding.Latin1.GetString(original, 0, Math.Min(original.Length, 200)).Contains("<?xml", StringComparison.Ordinal));
        // Mostly cheap mutations, stacked 1-3 deep; the expensive ones (MBs) are a small share so CI stays quick.
        var roll = random.Next(100);
        return roll switch
        {
            < 3 => ("huge field", HugeFieldIn(format, original, random)),
            < 6 => ("100k columns", WideLine(format, original, random)),
            < 10 when xml => ("deep nesting", DeepXml(original, random)),
            < 14 when xml || format == "ofx" => ("billion laughs", BillionLaughs(original)),
            < 22 => Encoded(original, random),
            < 26 when format == "csv" => ("tsv", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(original).Replace(',', '\t'))),
            _ => Stacked(original, random),
        };
    }

    private static (string, byte[]) Stacked(byte[] bytes, Random random)
    {
        var steps = new List<string>();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            string step;
            (step, bytes) = random.Next(5) switch
            {
                0 => ("truncate", Truncate(bytes, random)),
                1 => ("flip", Flip(bytes, random)),
                2 => ("insert", Insert(bytes, random)),
                3 => ("duplicate", Duplicate(bytes, random)),
                _ => ("delete", Delete(bytes, random)),
            };
            steps.Add(step);
        }

        return (string.Join('+', steps), bytes);
    }

    private static byte[] Truncate(byte[] bytes, Random random) => bytes[..random.Next(bytes.Length + 1)];

    private static byte[] Flip(byte[] bytes, Random random)
    {
        var copy = (byte[])bytes.Clone();
        for (var n = random.Next(1, 9); n > 0 && copy.Length > 0; n--)
        {
            var at = random.Next(copy.Length);
            copy[at] = random.Next(3) switch
            {
                0 => (byte)(copy[at] ^ (1 << random.Next(8))),
                1 => (byte)random.Next(256),
                _ => Interesting[random.Next(Interesting.Length)],
            };
        }

        return copy;
    }

    // Bytes that mean something to one of the readers.
    private static readonly byte[] Interesting = "<>/&;:,\t\"'\r\n-.0123456789\0"u8.ToArray();

    private static readonly string[] Chunks =
    [
        "<", ">", "</", "<![CDATA[", "]]>", "&amp;", "&#xFFFF;", "&#0;", "&bogus;", "<STMTTRN>", "<TRNAMT>-1e400", "<DTPOSTED>99999999",
        ":61:", ":86:", ":20:", "\r\n:61:2402300230D99999999999999999999,99NTRF\r\n", "^\r\n", "!Type:Bank\r\n", "D13/45/2024\r\nT1,,,2\r\n",
        "\"", "\"\"", ",,,,,", "\n\n\n", "-", "9999999999999999999999999999999", "1E+308", "NaN", "\u2028", "\uFFFD", "\uD800",
        "<Amt Ccy=\"XXX\">", "<Ntry>", "</Ntry>", "<?xml version=\"1.0\"?>", "<!DOCTYPE x>",
    ];

    private static byte[] Insert(byte[] bytes, Random random)
    {
        var at = random.Next(bytes.Length + 1);
        var chunk = Encoding.UTF8.GetBytes(Chunks[random.Next(Chunks.Length)]);
        return [.. bytes.AsSpan(0, at), .. chunk, .. bytes.AsSpan(at)];
    }

    private static byte[] Duplicate(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var from = random.Next(bytes.Length);
        var length = random.Next(1, Math.Min(bytes.Length - from, 4096) + 1);
        var times = random.Next(1, 50);
        var at = random.Next(bytes.Length + 1);
        var output = new List<byte>(bytes.Length + (length * times));
        output.AddRange(bytes.AsSpan(0, at));
        for (var i = 0; i < times; i++)
        {
            output.AddRange(bytes.AsSpan(from, length));
        }

        output.AddRange(bytes.AsSpan(at));
        return [.. output];
    }

    private static byte[] Delete(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var from = random.Next(bytes.Length);
        var length = random.Next(1, Math.Min(bytes.Length - from, 512) + 1);
        return [.. bytes.AsSpan(0, from), .. bytes.AsSpan(from + length)];
    }

    /// <summary>A 5 MB value where a payee or memo sits (after a tag, a field tag or a delimiter).</summary>
    private static byte[] HugeFieldIn(string format, byte[] bytes, Random random)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var marker = format switch
        {
            "ofx" => "<NAME>",
            "camt" => "<Ustrd>",
            "qif" => "\nP",
            "mt940" => ":86:",
            _ => ",",
        };
        var hits = AllIndexes(text, marker);
        var at = hits.Count > 0 ? hits[random.Next(hits.Count)] + marker.Length : random.Next(text.Length + 1);
        var filler = random.Next(2) == 0 ? new string('A', HugeField) : string.Concat(Enumerable.Repeat("Żółć payee ", HugeField / 11));
        return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, at), filler, text.AsSpan(at)));
    }

    /// <summary>One line of 100,000 columns (delimiters for CSV, a run of tags or fields elsewhere) inside the file.</summary>
    private static byte[] WideLine(string format, byte[] bytes, Random random)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var cell = format switch
        {
            "ofx" => "<MEMO>x",
            "camt" => "<Ustrd>x</Ustrd>",
            "qif" => "Mx",
            "mt940" => "/x",
            _ => random.Next(2) == 0 ? "x," : ",",
        };
        var lines = AllIndexes(text, "\n");
        var at = lines.Count > 0 ? lines[random.Next(lines.Count)] + 1 : text.Length;
        var builder = new StringBuilder(text.Length + (cell.Length * WideColumns) + 2);
        builder.Append(text, 0, at);
        for (var i = 0; i < WideColumns; i++)
        {
            builder.Append(cell);
        }

        builder.Append('\n').Append(text, at, text.Length - at);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static (string, byte[]) Encoded(byte[] bytes, Random random)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        byte[] Bom(Encoding e, bool bom) => [.. bom ? e.GetPreamble() : [], .. e.GetBytes(text)];
        return random.Next(8) switch
        {
            0 => ("utf-16le with bom", Bom(Encoding.Unicode, true)),
            1 => ("utf-16le without bom", Bom(Encoding.Unicode, false)),
            2 => ("utf-16be with bom", Bom(Encoding.BigEndianUnicode, true)),
            3 => ("windows-1252", Bom(Encoding.GetEncoding(1252), false)),
            4 => ("utf-8 with bom", Bom(new UTF8Encoding(true), true)),
            5 => ("bom stripped", bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? bytes[3..] : bytes),
            6 => ("utf-8 bom over windows-1252", [0xEF, 0xBB, 0xBF, .. Encoding.GetEncoding(1252).GetBytes(text)]),
            _ => ("utf-16 bom over utf-8", [0xFF, 0xFE, .. bytes]),
        };
    }

    // ---- XML (CAMT, OFX 2) ----

    /// <summary>100,000 nested elements right inside the root element (or at a random tag).</summary>
    private static byte[] DeepXml(byte[] bytes, Random random)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var tags = AllIndexes(text, "<").Where(i => i + 1 < text.Length && char.IsLetter(text[i + 1])).ToList();
        var at = tags.Count > 1 ? text.IndexOf('>', tags[random.Next(1, tags.Count)]) + 1 : 0;
        var name = random.Next(2) == 0 ? "Ntry" : "a";
        var builder = new StringBuilder(text.Length + (DeepNesting * 14));
        builder.Append(text, 0, at);
        for (var i = 0; i < DeepNesting; i++)
        {
            builder.Append('<').Append(name).Append('>');
        }

        if (random.Next(2) == 0)
        {
            for (var i = 0; i < DeepNesting; i++)
            {
                builder.Append("</").Append(name).Append('>');
            }
        }

        builder.Append(text, at, text.Length - at);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private const string Laughs = """
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
          <!ENTITY xxe SYSTEM "file:///etc/passwd">
        ]>
        """;

    /// <summary>A DTD with exponential entities (and an external one) after the XML declaration, used in a payee.</summary>
    private static byte[] BillionLaughs(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        var declaration = text.StartsWith("<?xml", StringComparison.Ordinal) ? text.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
        var withDtd = string.Concat(text.AsSpan(0, declaration), "\n", Laughs, text.AsSpan(declaration));
        var payee = withDtd.Contains("<Ustrd>", StringComparison.Ordinal) ? "<Ustrd>" : "<NAME>";
        var at = withDtd.IndexOf(payee, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(at < 0 ? withDtd : withDtd.Insert(at + payee.Length, "&lol9;&xxe;"));
    }

    // ---- XLSX ----

    private (string, byte[]) MutateWorkbook(byte[] original, Random random)
    {
        var parts = Parts(original);
        var sheet = "xl/worksheets/sheet1.xml";
        switch (random.Next(14))
        {
            case 0:
                return ("zip bomb (1 GB sheet)", Zip(parts, sheet, bombSheet.Value, lieAboutSize: false));
            case 1:
                return ("zip bomb with lying sizes", Zip(parts, sheet, bombSheet.Value, lieAboutSize: true));
            case 2:
                return ("1,001 parts", Zip(parts.Concat(Enumerable.Range(0, 1001).Select(i => ($"xl/media/p{i}.bin", new byte[] { 1 }))).ToList()));
            case 3:
                var missing = random.Next(4) switch { 0 => sheet, 1 => "xl/workbook.xml", 2 => "xl/_rels/workbook.xml.rels", _ => "[Content_Types].xml" };
                return ("missing " + missing, Zip([.. parts.Where(p => p.Name != missing)]));
            case 4:
                return ("corrupt central directory", CorruptDirectory(original, random));
            case 5:
                return ("sheet with billion laughs", Zip(parts, sheet, WithDtd(parts, sheet)));
            case 6:
                return ("deep sheet xml", Zip(parts, sheet, DeepSheet(parts, sheet)));
            case 7:
                return ("truncated sheet xml", Zip(parts, sheet, Truncate(Part(parts, sheet), random)));
            case 8:
                return ("flipped sheet xml", Zip(parts, sheet, Flip(Part(parts, sheet), random)));
            case 9:
                return ("huge cell", Zip(parts, sheet, HugeCell(parts, sheet)));
            default:
                var (steps, bytes) = Stacked(original, random);
                return ("zip bytes " + steps, bytes);
        }
    }

    private static List<(string Name, byte[] Bytes)> Parts(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        })];
    }

    private static byte[] Part(List<(string Name, byte[] Bytes)> parts, string name) => parts.First(p => p.Name == name).Bytes;

    private static readonly DateTimeOffset FixedTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static byte[] Zip(List<(string Name, byte[] Bytes)> parts)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in parts)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
                entry.LastWriteTime = FixedTime; // same seed, same bytes
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }

    /// <summary>The workbook with one part replaced by already-deflated bytes (<paramref name="deflated"/> is a raw
    /// deflate stream when it came from <see cref="Deflated"/>), optionally declaring a tiny size in both headers.</summary>
    private static byte[] Zip(List<(string Name, byte[] Bytes)> parts, string replaced, byte[] content, bool lieAboutSize = false)
    {
        if (content.Length >= 8 && BitConverter.ToInt64(content, 0) == BombMagic)
        {
            return RawZip([.. parts.Where(p => p.Name != replaced)], replaced, content, lieAboutSize);
        }

        return Zip([.. parts.Select(p => p.Name == replaced ? (p.Name, content) : p)]);
    }

    private const long BombMagic = 0x424D4F42_5A4C5358; // marks Deflated() output: magic, uncompressed length, crc, deflate data

    /// <summary>`length` zero bytes as a raw deflate stream (about 1 MB per GB), built once per run.</summary>
    private static byte[] Deflated(long length)
    {
        using var output = new MemoryStream();
        output.Write(BitConverter.GetBytes(BombMagic));
        output.Write(BitConverter.GetBytes(length));
        output.Write(BitConverter.GetBytes(0u));
        var zeros = new byte[1 << 20];
        var crc = 0xFFFFFFFFu;
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (long written = 0; written < length; written += zeros.Length)
            {
                deflate.Write(zeros);
                crc = Crc32(crc, zeros);
            }
        }

        var bytes = output.ToArray();
        BitConverter.GetBytes(~crc).CopyTo(bytes, 16);
        return bytes;
    }

    /// <summary>Writes the zip by hand so one entry can carry pre-deflated data and (if lying) a declared size of 1 KB.</summary>
    private static byte[] RawZip(List<(string Name, byte[] Bytes)> parts, string bombName, byte[] bomb, bool lie)
    {
        var entries = new List<(string Name, uint Crc, long Size, ReadOnlyMemory<byte> Data)>();
        foreach (var (name, bytes) in parts)
        {
            using var deflated = new MemoryStream();
            using (var deflate = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true))
            {
                deflate.Write(bytes);
            }

            entries.Add((name, ~Crc32(0xFFFFFFFFu, bytes), bytes.Length, deflated.ToArray()));
        }

        var size = BitConverter.ToInt64(bomb, 8);
        entries.Add((bombName, BitConverter.ToUInt32(bomb, 16), lie ? 1024 : size, bomb.AsMemory(20)));

        using var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        var offsets = new List<long>();
        foreach (var (name, crc, length, data) in entries)
        {
            offsets.Add(output.Position);
            var nameBytes = Encoding.UTF8.GetBytes(name);
            writer.Write(0x04034b50u);
            writer.Write((ushort)20);
            writer.Write((ushort)0);
            writer.Write((ushort)8);
            writer.Write(0u);
            writer.Write(crc);
            writer.Write((uint)data.Length);
            writer.Write((uint)Math.Min(length, uint.MaxValue));
            writer.Write((ushort)nameBytes.Length);
            writer.Write((ushort)0);
            writer.Write(nameBytes);
            writer.Write(data.Span);
        }

        var directory = output.Position;
        for (var i = 0; i < entries.Count; i++)
        {
            var (name, crc, length, data) = entries[i];
            var nameBytes = Encoding.UTF8.GetBytes(name);
            writer.Write(0x02014b50u);
            writer.Write((ushort)20);
            writer.Write((ushort)20);
            writer.Write((ushort)0);
            writer.Write((ushort)8);
            writer.Write(0u);
            writer.Write(crc);
            writer.Write((uint)data.Length);
            writer.Write((uint)Math.Min(length, uint.MaxValue));
            writer.Write((ushort)nameBytes.Length);
            writer.Write((ushort)0);
            writer.Write((ushort)0);
            writer.Write((ushort)0);
            writer.Write((ushort)0);
            writer.Write(0u);
            writer.Write((uint)offsets[i]);
            writer.Write(nameBytes);
        }

        var end = output.Position;
        writer.Write(0x06054b50u);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write((ushort)entries.Count);
        writer.Write((ushort)entries.Count);
        writer.Write((uint)(end - directory));
        writer.Write((uint)directory);
        writer.Write((ushort)0);
        writer.Flush();
        return output.ToArray();
    }

    private static byte[] CorruptDirectory(byte[] zip, Random random)
    {
        var copy = (byte[])zip.Clone();
        var directory = Encoding.Latin1.GetString(copy).IndexOf("PK\u0001\u0002", StringComparison.Ordinal);
        var from = directory < 0 ? 0 : directory;
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            copy[random.Next(from, copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    private static byte[] WithDtd(List<(string Name, byte[] Bytes)> parts, string sheet)
    {
        var xml = Encoding.UTF8.GetString(Part(parts, sheet)).TrimStart('\uFEFF');
        var declaration = xml.StartsWith("<?xml", StringComparison.Ordinal) ? xml.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
        var text = string.Concat(xml.AsSpan(0, declaration), Laughs, xml.AsSpan(declaration));
        var cell = text.IndexOf("<v>", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(cell < 0 ? text : text.Insert(cell + 3, "&lol9;"));
    }

    private static byte[] DeepSheet(List<(string Name, byte[] Bytes)> parts, string sheet)
    {
        var xml = Encoding.UTF8.GetString(Part(parts, sheet));
        var at = xml.IndexOf("<sheetData>", StringComparison.Ordinal);
        at = at < 0 ? xml.Length / 2 : at + "<sheetData>".Length;
        var builder = new StringBuilder(xml.Length + (DeepNesting * 7));
        builder.Append(xml, 0, at).Insert(builder.Length, "<row>", DeepNesting).Append(xml, at, xml.Length - at);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static byte[] HugeCell(List<(string Name, byte[] Bytes)> parts, string sheet)
    {
        var xml = Encoding.UTF8.GetString(Part(parts, sheet));
        var at = xml.IndexOf("</row>", StringComparison.Ordinal);
        var cell = "<c r=\"Z2\" t=\"inlineStr\"><is><t>" + new string('P', HugeField) + "</t></is></c>";
        return Encoding.UTF8.GetBytes(at < 0 ? xml : xml.Insert(at, cell));
    }

    /// <summary>A workbook with the CSV fixture's rows as text cells (dates and amounts as the file writes them).</summary>
    private static byte[] Workbook(byte[] csv)
    {
        var text = Encoding.UTF8.GetString(csv).TrimStart('\uFEFF');
        var delimiter = text.Split('\n')[0].Count(c => c == ';') > text.Split('\n')[0].Count(c => c == ',') ? ';' : ',';
        var rows = text.Split('\n').Where(l => l.Trim().Length > 0).Take(60)
            .Select(l => (IDictionary<string, object>)l.TrimEnd('\r').Split(delimiter)
                .Select((cell, i) => (Key: ColumnName(i), Value: (object)cell.Trim('"')))
                .ToDictionary(c => c.Key, c => c.Value))
            .ToList();
        using var output = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(output, rows, printHeader: false);
        return Zip(Deterministic(Parts(output.ToArray())));
    }

    /// <summary>MiniExcel writes the time and fresh GUIDs (relationship ids) into a workbook: the same seed must give
    /// the same bytes, so times become one fixed time and each GUID a numbered one, consistently across the parts.</summary>
    private static List<(string Name, byte[] Bytes)> Deterministic(List<(string Name, byte[] Bytes)> parts)
    {
        var guids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return [.. parts.Select(p =>
        {
            var xml = Encoding.UTF8.GetString(p.Bytes);
            xml = System.Text.RegularExpressions.Regex.Replace(xml, @"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?", "2026-01-01T00:00:00Z");
            xml = System.Text.RegularExpressions.Regex.Replace(xml, "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}", m =>
            {
                if (!guids.TryGetValue(m.Value, out var fixedGuid))
                {
                    fixedGuid = (guids.Count + 1).ToString("D" + m.Value.Length, System.Globalization.CultureInfo.InvariantCulture);
                    guids[m.Value] = fixedGuid;
                }

                return fixedGuid;
            });
            return (p.Name, Encoding.UTF8.GetBytes(xml));
        })];
    }

    private static string ColumnName(int index) => index < 26 ? ((char)('A' + index)).ToString() : "A" + (char)('A' + (index - 26));

    private static List<int> AllIndexes(string text, string value)
    {
        var list = new List<int>();
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            list.Add(i);
        }

        return list;
    }

    private static readonly uint[] CrcTable = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    })];

    /// <summary>Running CRC-32 as zip uses it (start with 0xFFFFFFFF, invert at the end).</summary>
    private static uint Crc32(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
