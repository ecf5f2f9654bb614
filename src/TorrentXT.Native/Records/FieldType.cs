// SPDX-License-Identifier: MIT
namespace TorrentXT.Native.Records;

/// <summary>The value encodings of a record field (contract §3.1).</summary>
public enum FieldType : byte
{
    /// <summary>Signed decimal ASCII, <c>%lld</c>.</summary>
    Int = 0,
    /// <summary>Decimal ASCII from C's <c>%.6g</c>.</summary>
    Real = 1,
    /// <summary>Text bytes, passed through unvalidated.</summary>
    Utf8 = 2,
    /// <summary>Opaque bytes.</summary>
    Raw = 3,
    /// <summary>Lower-case hex ASCII, two characters per byte.</summary>
    Hex = 4,
}
