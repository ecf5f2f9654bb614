// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// The client-code tables libtorrent 2.0.8's identify_client knows (established by probing
/// python3-libtorrent 2.0.8 over every printable code), plus our own "TX".
/// </summary>
internal static class ClientNames
{
    /// <summary>Azureus-style two-letter codes ("-XX1234-") and shadow/mainline one-letter codes.</summary>
    public static readonly Dictionary<string, string> ByCode = new(StringComparer.Ordinal)
    {
        ["7T"] = "aTorrent for android", ["AB"] = "AnyEvent BitTorrent", ["AG"] = "Ares", ["AR"] = "Arctic Torrent",
        ["AT"] = "Artemis", ["AV"] = "Avicora", ["AX"] = "BitPump", ["AZ"] = "Azureus", ["A~"] = "Ares",
        ["BB"] = "BitBuddy", ["BC"] = "BitComet", ["BE"] = "baretorrent", ["BF"] = "Bitflu", ["BG"] = "BTG",
        ["BI"] = "BiglyBT", ["BL"] = "BitBlinder", ["BP"] = "BitTorrent Pro", ["BR"] = "BitRocket", ["BS"] = "BTSlave",
        ["BT"] = "BitTorrent", ["BU"] = "BigUp", ["BW"] = "BitWombat", ["BX"] = "BittorrentX",
        ["CD"] = "Enhanced CTorrent", ["CT"] = "CTorrent", ["DE"] = "Deluge", ["DP"] = "Propagate Data Client",
        ["EB"] = "EBit", ["ES"] = "electric sheep", ["FC"] = "FileCroc", ["FT"] = "FoxTorrent", ["FW"] = "FrostWire",
        ["FX"] = "Freebox BitTorrent", ["GS"] = "GSTorrent", ["HK"] = "Hekate", ["HL"] = "Halite", ["HN"] = "Hydranode",
        ["IL"] = "iLivid", ["KC"] = "Koinonein", ["KG"] = "KGet", ["KT"] = "KTorrent", ["LC"] = "LeechCraft",
        ["LH"] = "LH-ABC", ["LK"] = "Linkage", ["LP"] = "lphant", ["LR"] = "LibreTorrent", ["LT"] = "libtorrent",
        ["LW"] = "Limewire", ["ML"] = "MLDonkey", ["MO"] = "Mono Torrent", ["MP"] = "MooPolice", ["MR"] = "Miro",
        ["MT"] = "Moonlight Torrent", ["NX"] = "Net Transport", ["OS"] = "OneSwarm", ["OT"] = "OmegaTorrent",
        ["PD"] = "Pando", ["QD"] = "QQDownload", ["QT"] = "Qt 4", ["RT"] = "Retriever", ["RZ"] = "RezTorrent",
        ["SB"] = "Swiftbit", ["SD"] = "Xunlei", ["SK"] = "spark", ["SN"] = "ShareNet", ["SS"] = "SwarmScope",
        ["ST"] = "SymTorrent", ["SZ"] = "Shareaza", ["S~"] = "Shareaza (beta)", ["TB"] = "Torch", ["TL"] = "Tribler",
        ["TN"] = "Torrent.NET", ["TR"] = "Transmission", ["TS"] = "TorrentStorm", ["TT"] = "TuoTu", ["UL"] = "uLeecher",
        ["UM"] = "uTorrent Mac", ["UT"] = "uTorrent", ["VG"] = "Vagaa", ["WT"] = "BitLet", ["WY"] = "FireTorrent",
        ["XF"] = "Xfplay", ["XL"] = "Xunlei", ["XS"] = "XSwifter", ["XT"] = "XanTorrent", ["XX"] = "Xtorrent",
        ["ZO"] = "Zona", ["ZT"] = "ZipTorrent", ["lt"] = "rTorrent", ["pX"] = "pHoeniX", ["qB"] = "qBittorrent",
        ["st"] = "SharkTorrent",
        // Not in libtorrent's table (it would print "TX 0.1.0"): this engine.
        [PeerId.ClientCode] = "TorrentXT",
        // One-letter codes of shadow-style ("S58B-----") and mainline-style ("M7-2-0--") ids.
        ["A"] = "ABC", ["M"] = "Mainline", ["O"] = "Osprey Permaseed", ["Q"] = "BTQueue", ["R"] = "Tribler",
        ["S"] = "Shadow", ["T"] = "BitTornado", ["U"] = "UPnP",
    };

    /// <summary>Fixed byte patterns at an offset, tried in this order before any structured parse.</summary>
    public static readonly (int Offset, byte[] Pattern, string Name)[] Generic =
    [
        (0, "Deadman Walking-"u8.ToArray(), "Deadman"),
        (5, "Azureus"u8.ToArray(), "Azureus 2.0.3.2"),
        (0, "DansClient"u8.ToArray(), "XanTorrent"),
        (4, "btfans"u8.ToArray(), "SimpleBT"),
        (0, "PRC.P---"u8.ToArray(), "Bittorrent Plus! II"),
        (0, "P87.P---"u8.ToArray(), "Bittorrent Plus!"),
        (0, "S587Plus"u8.ToArray(), "Bittorrent Plus!"),
        (0, "martini"u8.ToArray(), "Martini Man"),
        (0, "Plus---"u8.ToArray(), "Bittorrent Plus"),
        (0, "turbobt"u8.ToArray(), "TurboBT"),
        (0, "a00---0"u8.ToArray(), "Swarmy"),
        (0, "a02---0"u8.ToArray(), "Swarmy"),
        (0, "T00---0"u8.ToArray(), "Teeweety"),
        (0, "BTDWV-"u8.ToArray(), "Deadman Walking"),
        (2, "BS"u8.ToArray(), "BitSpirit"),
        (0, "-SP"u8.ToArray(), "BitSpirit 3.6"),
        (0, "Pando-"u8.ToArray(), "Pando"),
        (0, "LIME"u8.ToArray(), "LimeWire"),
        (0, "btuga"u8.ToArray(), "BTugaXP"),
        (0, "oernu"u8.ToArray(), "BTugaXP"),
        (0, "Mbrst"u8.ToArray(), "Burst!"),
        (0, "PEERAPP"u8.ToArray(), "PeerApp"),
        (0, "Plus"u8.ToArray(), "Plus!"),
        (0, "-Qt-"u8.ToArray(), "Qt"),
        (0, "exbc"u8.ToArray(), "BitComet"),
        (0, "DNA"u8.ToArray(), "BitTorrent DNA"),
        (0, "-G3"u8.ToArray(), "G3 Torrent"),
        (0, "-FG"u8.ToArray(), "FlashGet"),
        (0, "-ML"u8.ToArray(), "MLdonkey"),
        (0, "-MG"u8.ToArray(), "Media Get"),
        (0, "XBT"u8.ToArray(), "XBT"),
        (0, "OP"u8.ToArray(), "Opera"),
        (2, "RS"u8.ToArray(), "Rufus"),
        (0, "AZ2500BT"u8.ToArray(), "BitTyrant"),
        (0, "btpd/"u8.ToArray(), "BitTorrent Protocol Daemon"),
        (0, "TIX"u8.ToArray(), "Tixati"),
        (0, "QVOD"u8.ToArray(), "Qvod"),
    ];
}
