// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine.Picking;

/// <summary>The picker's tunables, named after the libtorrent settings they mirror.</summary>
public sealed record PiecePickerOptions
{
    /// <summary><c>initial_picker_threshold</c>: until this many pieces are complete, new pieces are
    /// picked at random rather than rarest first, so a first whole piece (to share) arrives fast.</summary>
    public int InitialPickerThreshold { get; init; } = 4;

    /// <summary><c>whole_pieces_threshold</c> (seconds): a peer that can deliver a whole piece in this
    /// time or less is given whole pieces of its own.</summary>
    public int WholePiecesThresholdSeconds { get; init; } = 20;

    /// <summary><c>strict_end_game_mode</c>: when true, blocks are requested twice only once every
    /// wanted block is requested or finished; when false, a peer that finds nothing free may always
    /// duplicate a busy block.</summary>
    public bool StrictEndGameMode { get; init; } = true;

    /// <summary>In end-game, the most peers one block may be requested from at the same time.</summary>
    public int EndGameMaxRequestersPerBlock { get; init; } = 2;

    public static PiecePickerOptions Default { get; } = new();

    /// <summary>Reads the settings above from a live settings pack.</summary>
    public static PiecePickerOptions FromSettings(SettingsPack settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PiecePickerOptions
        {
            InitialPickerThreshold = settings.GetInt(SettingIds.InitialPickerThreshold),
            WholePiecesThresholdSeconds = settings.GetInt(SettingIds.WholePiecesThreshold),
            StrictEndGameMode = settings.GetBool(SettingIds.StrictEndGameMode),
        };
    }
}
