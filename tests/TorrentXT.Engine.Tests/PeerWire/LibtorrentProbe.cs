// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>
/// A real libtorrent 2.0.8 seeding vector torrents on 127.0.0.1, run by lt_wire_probe.py under the
/// Debian /usr/bin/python3 (the interpreter that has python3-libtorrent). Started on first use and
/// stopped when the test class is done.
/// </summary>
public sealed class LibtorrentProbe : IDisposable
{
    public const string Python = "/usr/bin/python3";
    public static readonly string[] TorrentIds = ["v1_single", "hybrid_multi"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private static readonly Lazy<string?> Unavailable = new(WhyUnavailable);

    private readonly object _gate = new();
    private Process? _process;
    private string? _work;
    private int _port;

    /// <summary>Null when libtorrent can be used, else why not.</summary>
    public static string? UnavailableReason => Unavailable.Value;

    public int Port
    {
        get
        {
            lock (_gate)
            {
                if (_process is null) Start();
                return _port;
            }
        }
    }

    /// <summary>libtorrent's view of its peer connections: (torrent id, peer id hex, client name).</summary>
    public List<(string Torrent, string PeerIdHex, string Client)> Peers()
    {
        lock (_gate)
        {
            if (_process is null) Start();
            _process!.StandardInput.WriteLine("PEERS");
            _process.StandardInput.Flush();
            string line = ReadLine(ReplyTimeout) ?? throw new InvalidOperationException("lt_wire_probe.py exited");
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.EnumerateArray()
                .Select(p => (p.GetProperty("torrent").GetString()!, p.GetProperty("pid").GetString()!, p.GetProperty("client").GetString()!))
                .ToList();
        }
    }

    private void Start()
    {
        _work = Directory.CreateTempSubdirectory("txt-wire-lt-").FullName;
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(ScriptPath());
        psi.ArgumentList.Add(Vectors.Root);
        psi.ArgumentList.Add(_work);
        foreach (var id in TorrentIds) psi.ArgumentList.Add(id);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Python);
        _process.ErrorDataReceived += (_, _) => { }; // drained so a chatty stderr cannot block the script
        _process.BeginErrorReadLine();
        string? line = ReadLine(StartTimeout);
        if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
            throw new InvalidOperationException("lt_wire_probe.py did not start: " + (line ?? "(no output)"));
        _port = int.Parse(line.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
    }

    private string? ReadLine(TimeSpan timeout)
    {
        var read = _process!.StandardOutput.ReadLineAsync();
        if (!read.Wait(timeout)) throw new TimeoutException($"lt_wire_probe.py gave no answer within {timeout.TotalSeconds} s");
        return read.Result;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_process is { } p)
            {
                try
                {
                    if (!p.HasExited)
                    {
                        p.StandardInput.WriteLine("QUIT");
                        p.StandardInput.Flush();
                    }
                }
                catch (IOException) { }
                if (!p.WaitForExit(10_000)) p.Kill(); // only the process this fixture started
                p.Dispose();
                _process = null;
            }
            if (_work is not null && Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
        }
    }

    internal static string ScriptPath([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "lt_wire_probe.py");

    private static string? WhyUnavailable()
    {
        if (!File.Exists(Python)) return Python + " not found";
        if (!File.Exists(ScriptPath())) return "lt_wire_probe.py not found next to the test sources";
        try
        {
            _ = Vectors.Root;
        }
        catch (DirectoryNotFoundException e)
        {
            return e.Message;
        }
        try
        {
            var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("import libtorrent; print(libtorrent.__version__)");
            using var p = Process.Start(psi)!;
            if (!p.WaitForExit(20_000))
            {
                p.Kill();
                return "python3 -c 'import libtorrent' timed out";
            }
            string version = p.StandardOutput.ReadToEnd().Trim();
            if (p.ExitCode != 0) return Python + " has no libtorrent module (apt-get install python3-libtorrent)";
            return version.StartsWith("2.0.", StringComparison.Ordinal) ? null : "libtorrent " + version + " is not 2.0.x";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return "cannot run " + Python + ": " + e.Message;
        }
    }
}

/// <summary>A fact that needs python3-libtorrent 2.0; without it the test is skipped with the reason.</summary>
public sealed class LibtorrentFactAttribute : FactAttribute
{
    public LibtorrentFactAttribute()
    {
        if (LibtorrentProbe.UnavailableReason is { } why)
            Skip = "libtorrent interop skipped: " + why;
    }
}
