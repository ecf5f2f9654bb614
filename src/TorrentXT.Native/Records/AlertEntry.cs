// SPDX-License-Identifier: MIT
using System.Buffers;

namespace TorrentXT.Native.Records;

/// <summary>Fills one record of a <see cref="RecordWriter"/> (the fields only, between Begin and End).</summary>
public delegate void RecordBody<in TState>(ref RecordWriter writer, TState state);

/// <summary>
/// Encodes one alert entry, <c>alertType:u16 bodyLen:u16 kvrecord</c> (contract §3.3), as a
/// standalone array: the unit the drain writes whole and the stash keeps.
/// </summary>
public static class AlertEntry
{
    private const int FirstTry = 512;

    /// <summary>
    /// Encodes the entry whose fields <paramref name="body"/> writes. The body may run twice (when
    /// the entry outgrows the first scratch buffer), so it must write the same fields both times.
    /// </summary>
    public static byte[] Encode<TState>(ushort alertType, TState state, RecordBody<TState> body)
    {
        int size = TryEncode(alertType, state, body, FirstTry, out byte[]? entry);
        if (entry is null)
            TryEncode(alertType, state, body, -size, out entry);
        return entry ?? throw new InvalidOperationException("alert body wrote different fields on its second run");
    }

    /// <summary>The alert type of an encoded entry.</summary>
    public static ushort TypeOf(ReadOnlySpan<byte> entry) => (ushort)(entry[0] << 8 | entry[1]);

    private static int TryEncode<TState>(ushort alertType, TState state, RecordBody<TState> body, int capacity, out byte[]? entry)
    {
        byte[] scratch = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            var writer = new RecordWriter(scratch);
            writer.BeginAlertEntry(alertType);
            body(ref writer, state);
            writer.EndAlertEntry();
            int size = writer.Finish();
            entry = size >= 0 ? scratch.AsSpan(0, size).ToArray() : null;
            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
