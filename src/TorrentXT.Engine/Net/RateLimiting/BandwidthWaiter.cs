// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Net.RateLimiting;

/// <summary>A queued request for quota: a node of the manager's FIFO and the completion its
/// caller awaits. Only allocated when a request actually has to wait.</summary>
internal sealed class BandwidthWaiter(BandwidthManager manager, BandwidthChain chain, int bytes, CancellationToken token)
{
    public readonly BandwidthManager Manager = manager;
    public readonly BandwidthChain Chain = chain;
    public readonly int Bytes = bytes;
    public readonly CancellationToken Token = token;
    // Continuations run on the thread pool, never inside the manager's lock or the timer callback.
    public readonly TaskCompletionSource<int> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public BandwidthWaiter? Previous, Next;
    public bool Queued;
    public int Granted;
    public CancellationTokenRegistration Registration;
}
