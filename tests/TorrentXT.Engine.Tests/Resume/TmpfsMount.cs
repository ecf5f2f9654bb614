// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>
/// A small tmpfs mounted on a fresh directory (disk-full and read-only conditions for real). Needs
/// root: the constructor throws with a clear message otherwise, so such a test fails loudly instead
/// of passing without testing anything.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("txt-tmpfs-").FullName;

    public TmpfsMount(string options)
    {
        if (Environment.UserName != "root" && !IsRoot())
            throw new InvalidOperationException("this test mounts a tmpfs and must run as root (CI runs ./build.sh test as root)");
        Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", Path);
    }

    /// <summary>Changes the mount's options (size=..., ro, rw) in place; the files stay.</summary>
    public void Remount(string options) => Run("mount", "-o", "remount," + options, Path);

    public void Dispose()
    {
        try { Run("umount", "-l", Path); } catch (InvalidOperationException) { }
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    private static bool IsRoot() => File.ReadAllText("/proc/self/status").Split('\n')
        .FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(10_000)) { p.Kill(); throw new InvalidOperationException(tool + " timed out"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {err.Trim()}");
    }
}
