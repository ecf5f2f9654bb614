// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace TorrentXT.Engine.Net;

/// <summary>
/// An ordered list of inclusive address ranges with an access flag; the last rule that covers an
/// address wins, so an "allowed" rule can open a hole in an earlier block. Empty = allow all.
/// </summary>
public sealed class IpFilter
{
    private readonly object _sync = new();
    private readonly List<Rule> _rules = new();

    private readonly record struct Rule(AddressFamily Family, BigInteger First, BigInteger Last, bool Blocked);

    public int RuleCount { get { lock (_sync) return _rules.Count; } }

    public void Add(IPAddress first, IPAddress last, bool blocked)
    {
        if (first.AddressFamily != last.AddressFamily) throw new ArgumentException("ip range start/end must be the same family");
        lock (_sync) _rules.Add(new Rule(first.AddressFamily, ToNumber(first), ToNumber(last), blocked));
    }

    public void Clear()
    {
        lock (_sync) _rules.Clear();
    }

    public bool IsBlocked(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var n = ToNumber(address);
        lock (_sync)
        {
            for (int i = _rules.Count - 1; i >= 0; i--)
            {
                var r = _rules[i];
                if (r.Family == address.AddressFamily && n >= r.First && n <= r.Last) return r.Blocked;
            }
        }
        return false;
    }

    private static BigInteger ToNumber(IPAddress a) => new(a.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
}
