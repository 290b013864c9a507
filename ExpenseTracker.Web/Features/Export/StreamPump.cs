using System.IO.Pipelines;

namespace ExpenseTracker.Web.Features.Export;

/// <summary>
/// Runs a writer that writes synchronously (MiniExcel, ZipArchive) on a worker thread into a pipe, and copies the pipe to
/// <c>output</c> asynchronously. A response body refuses synchronous writes; a pipe keeps at most about a megabyte in
/// memory and makes the writer wait while the client is slow, so nothing is built whole in memory.
/// </summary>
public static class StreamPump
{
    public static async Task RunAsync(Stream output, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, minimumSegmentSize: 64 * 1024, useSynchronizationContext: false));
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    // Buffered: the writers write a few bytes at a time, and every pipe write has a cost.
                    await using (var sink = new BufferedStream(pipe.Writer.AsStream(leaveOpen: true), 64 * 1024))
                    {
                        await write(sink, cancellationToken);
                    }

                    await pipe.Writer.CompleteAsync();
                }
                catch (Exception ex)
                {
                    await pipe.Writer.CompleteAsync(ex);
                }
            },
            CancellationToken.None);
        try
        {
            await pipe.Reader.CopyToAsync(output, cancellationToken);
            await pipe.Reader.CompleteAsync();
        }
        catch (Exception ex)
        {
            // Stops the writer too: its next write into the pipe fails.
            await pipe.Reader.CompleteAsync(ex);
            throw;
        }
        finally
        {
            await producer;
        }
    }
}
