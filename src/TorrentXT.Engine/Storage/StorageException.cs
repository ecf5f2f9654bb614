// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Storage;

/// <summary>
/// A disk failure of a torrent's storage: which path, what the storage was doing, and the OS error
/// (errno and its strerror text). Storage never swallows these; the caller decides what the torrent does.
/// </summary>
public sealed class StorageException : IOException
{
    /// <summary>Creates the exception; <paramref name="errorCode"/> is an errno, or 0 when the failure is not an OS error.</summary>
    public StorageException(string path, StorageOperation operation, int errorCode, string errorMessage, Exception? inner = null)
        : base($"{Describe(operation)} '{path}': {errorMessage}", inner)
    {
        Path = path;
        Operation = operation;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    /// <summary>The full path that failed (a file, a directory, or the part file).</summary>
    public string Path { get; }

    public StorageOperation Operation { get; }

    /// <summary>The errno (ENOSPC 28, EACCES 13, ENOTDIR 20, ...), or 0 for "End of file" and a path outside the save path.</summary>
    public int ErrorCode { get; }

    /// <summary>The OS text for <see cref="ErrorCode"/> ("No space left on device"), or the storage's own text.</summary>
    public string ErrorMessage { get; }

    /// <summary>When the failure happened (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), so a
    /// report that arrives late can be told from a new failure.</summary>
    public long RaisedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The torrent's file index the failure concerns, or -1 (part file, save path).</summary>
    public int FileIndex { get; init; } = -1;

    private static string Describe(StorageOperation op) => op switch
    {
        StorageOperation.ResolvePath => "resolving",
        StorageOperation.CreateDirectory => "creating directory for",
        StorageOperation.Open => "opening",
        StorageOperation.Read => "reading",
        StorageOperation.Write => "writing",
        StorageOperation.Flush => "flushing",
        StorageOperation.Delete => "deleting",
        StorageOperation.Move => "moving to",
        _ => op.ToString(),
    };
}
