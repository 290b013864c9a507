using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Unit.Import;

/// <summary>The shared corpus of real statements: ../shared/fixtures/statements beside the repository.</summary>
public static class StatementFixtures
{
    private static readonly Lazy<string> Folder = new(Locate);

    public static string Root => Folder.Value;

    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    public static StatementReadResult Read(string relative, ReaderOptions? options = null)
    {
        using var stream = File.OpenRead(PathOf(relative));
        return StatementReaders.Read(stream, System.IO.Path.GetFileName(relative), options);
    }

    /// <summary>Every fixture as a theory row; CI always has the corpus, so its absence fails rather than skips.</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var file in Files())
        {
            data.Add(file);
        }

        return data;
    }

    public static IReadOnlyList<string> Files() =>
        [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("SOURCES.md", StringComparison.Ordinal))
            .Select(f => System.IO.Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    private static string Locate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "ExpenseTracker.sln")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent is null)
        {
            throw new InvalidOperationException("ExpenseTracker.sln not found above " + AppContext.BaseDirectory);
        }

        var folder = System.IO.Path.Combine(dir.Parent.FullName, "shared", "fixtures", "statements");
        return Directory.Exists(folder)
            ? folder
            : throw new DirectoryNotFoundException("The statement fixture corpus is missing: " + folder);
    }
}
