using System.Globalization;

#pragma warning disable CA1050 // The runtime finds a startup hook only as a type named StartupHook outside any namespace.

/// <summary>
/// For the `circuits` benchmark only, loaded into the app's process by DOTNET_STARTUP_HOOKS (no production code is
/// involved): when the file ET_BENCH_HEAP_FILE + ".request" appears, it forces a full compacting GC and writes the live
/// managed heap (GC.GetTotalMemory after the collection) and the GC's heap size to ET_BENCH_HEAP_FILE.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("ET_BENCH_HEAP_FILE");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        new Thread(() => Serve(path)) { IsBackground = true, Name = "circuits benchmark heap probe" }.Start();
    }

    private static void Serve(string path)
    {
        var request = path + ".request";
        while (true)
        {
            if (File.Exists(request))
            {
                File.Delete(request);
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var managed = GC.GetTotalMemory(forceFullCollection: false);
                var heap = GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
                File.WriteAllText(path + ".tmp", string.Create(CultureInfo.InvariantCulture, $"{managed} {heap}"));
                File.Move(path + ".tmp", path, overwrite: true);
            }

            Thread.Sleep(100);
        }
    }
}
