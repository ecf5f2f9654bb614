// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Net;
using TorrentXT.Engine.Dht.Krpc;

namespace TorrentXT.Engine.Dht;

/// <summary>How a finished lookup went (for logs, tests and the simulation's report).</summary>
public readonly record struct LookupStats(int Hops, int Queries, int Responses, int Timeouts, TimeSpan Duration);

/// <summary>
/// One iterative Kademlia lookup towards a target: keeps the closest candidates sorted by XOR
/// distance, keeps up to dht_search_branching requests in flight (a request that is slow stops
/// counting, so a dead node does not stall the search), and finishes when the K closest live
/// candidates have all answered, nothing is left to ask, the caller short-circuits it, or its
/// deadline passes. Runs on the dispatcher thread only.
/// </summary>
public sealed class Lookup
{
    public const int MaxCandidates = 100;
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public enum State { New, InFlight, Responded, Failed }

    public sealed class Candidate(byte[]? id, IPEndPoint endPoint, int depth)
    {
        /// <summary>Null for a bootstrap address whose id we do not know yet.</summary>
        public byte[]? Id { get; set; } = id;
        public IPEndPoint EndPoint { get; } = endPoint;
        public int Depth { get; } = depth;
        public State State { get; set; }
        public bool Slow { get; set; }
        /// <summary>The write token it gave (get_peers, get).</summary>
        public byte[]? Token { get; set; }
    }

    private readonly List<Candidate> _candidates = new();
    private readonly HashSet<IPEndPoint> _seen = new();
    private readonly HashSet<UInt128> _prefixes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DhtConfig _config;
    private int _queries, _responses, _timeouts;

    public byte[] Target { get; }
    public string Method { get; }
    public bool Finished { get; private set; }
    public IReadOnlyList<Candidate> Candidates => _candidates;

    /// <summary>Sends the lookup's query to a candidate; false if it could not be sent.</summary>
    internal Func<Lookup, Candidate, bool> Send { get; set; } = (_, _) => false;
    /// <summary>Called with every valid reply, before its nodes are merged.</summary>
    internal Action<Candidate, KrpcMessage>? OnReply { get; set; }
    internal Action<Lookup, LookupStats>? OnDone { get; set; }

    public Lookup(byte[] target, string method, DhtConfig config)
    {
        Target = target;
        Method = method;
        _config = config;
    }

    public void AddCandidate(byte[]? id, IPEndPoint ep, int depth)
    {
        if (Finished || !_seen.Add(ep)) return;
        if (id is not null && _candidates.Any(c => c.Id is not null && c.Id.AsSpan().SequenceEqual(id))) return;
        if (_config.RestrictSearchIps && !_prefixes.Add(Compact.Prefix(ep.Address))) return;
        var c = new Candidate(id, ep, depth);
        int at = _candidates.Count;
        if (id is not null)
        {
            at = 0;
            while (at < _candidates.Count && _candidates[at].Id is { } other && NodeId.CompareDistance(Target, other, id) <= 0) at++;
        }
        _candidates.Insert(at, c);
        // Bounded: forget the farthest candidates we have not asked.
        for (int i = _candidates.Count - 1; _candidates.Count > MaxCandidates && i >= 0; i--)
            if (_candidates[i].State == State.New) _candidates.RemoveAt(i);
    }

    internal void Replied(Candidate c, KrpcMessage reply, List<NodeInfo> nodes)
    {
        if (Finished) return;
        c.State = State.Responded;
        c.Id ??= reply.SenderId;
        _responses++;
        OnReply?.Invoke(c, reply);
        foreach (var n in nodes) AddCandidate(n.Id, n.EndPoint, c.Depth + 1);
        Step();
    }

    internal void FailedRequest(Candidate c)
    {
        if (Finished) return;
        c.State = State.Failed;
        _timeouts++;
        Step();
    }

    internal void MarkSlow(Candidate c)
    {
        if (Finished || c.Slow) return;
        c.Slow = true;
        Step();
    }

    /// <summary>Stops the lookup now (an immutable item was found, say).</summary>
    public void ShortCircuit() => Finish();

    /// <summary>Sends more requests or finishes; called after every event.</summary>
    public void Step()
    {
        if (Finished) return;
        if (_clock.Elapsed > Deadline) { Finish(); return; }
        int active = 0, liveSeen = 0;
        bool closestAllDone = true, anyInFlight = false;
        foreach (var c in _candidates)
        {
            if (c.State == State.Failed) continue;
            if (c.State == State.InFlight) { anyInFlight = true; if (!c.Slow) active++; }
            if (liveSeen < RoutingTable.K)
            {
                if (c.State != State.Responded) closestAllDone = false;
                liveSeen++;
            }
        }
        if (closestAllDone && liveSeen > 0) { Finish(); return; }
        int branching = Math.Max(1, _config.SearchBranching);
        bool sentAny = false;
        int considered = 0;
        foreach (var c in _candidates)
        {
            if (active >= branching) break;
            if (c.State == State.Failed) continue;
            // Only the K closest live candidates are worth asking (plus one per slow request).
            if (++considered > RoutingTable.K + branching) break;
            if (c.State != State.New) continue;
            c.State = State.InFlight;
            _queries++;
            if (Send(this, c)) { active++; sentAny = true; anyInFlight = true; }
            else { c.State = State.Failed; _timeouts++; }
        }
        if (!sentAny && !anyInFlight) Finish();
    }

    private void Finish()
    {
        if (Finished) return;
        Finished = true;
        int hops = 0, counted = 0;
        foreach (var c in _candidates)
        {
            if (c.State != State.Responded) continue;
            hops = Math.Max(hops, c.Depth);
            if (++counted >= RoutingTable.K) break;
        }
        OnDone?.Invoke(this, new LookupStats(hops, _queries, _responses, _timeouts, _clock.Elapsed));
    }

    /// <summary>The closest candidates that answered, with the token each gave (for announces and puts).</summary>
    public List<Candidate> ClosestResponders(int count)
    {
        var result = new List<Candidate>(count);
        foreach (var c in _candidates)
            if (c.State == State.Responded && c.Id is not null && result.Count < count) result.Add(c);
        return result;
    }
}
