/* SPDX-License-Identifier: MIT */
/*
 * btx_abi.h -- the TorrentXT C ABI, version 8.
 *
 * 68 functions exported by libtorrentxt (packaged as torrentxt.so / torrentxt.dll /
 * libtorrentxt.dylib). Plain C linkage, cdecl, every symbol default-visible.
 * This header is C89/C99/C11 and C++ compatible. The behaviour of every function is
 * specified in docs/api-reference.md (the ABI contract); the comments below are summaries.
 *
 * Conventions shared by all functions:
 *   - Handles are positive ints: (generation << 16) | slot. 0 and 1..65535 are never valid.
 *     A stale or bogus handle is harmless: it returns the family's failure value.
 *   - Input strings are NUL-terminated UTF-8. 64-bit numbers travel as decimal text,
 *     hashes and keys as hex text (exactly 2*N chars of [0-9a-fA-F]).
 *   - Output strings are NEVER NUL-terminated; the return value is the byte count.
 *   - Output buffers follow the "bytes written / -needed" rule: n >= 0 bytes were written,
 *     or -needed when the result does not fit (grow the buffer to `needed` and call again).
 *     A stale handle returns 0, never a negative value. cap < 0 behaves like cap == 0.
 *     Flat getters write nothing unless the whole result fits; record getters may leave a
 *     partial prefix in a too-small buffer (see btx_record.h for the record format).
 *   - The last-error text is process-global, set only by failures, cleared only by
 *     btx_clear_error(). Read it with btx_last_error().
 *   - Families (the meaning of the return value):
 *       action        0 (BTX_OK) on success, a negative BTX_ERR_* on failure (error text set);
 *       buffer getter bytes written (btx_pop_alerts: record count), or 0 / -needed;
 *       int getter    the value (handle, count, port, 0/1), or 0 on failure;
 *       void          nothing.
 */
#ifndef BTX_ABI_H
#define BTX_ABI_H

/* ABI version of this header; btx_abi_version() of a matching library returns it. */
#define BTX_ABI_VERSION 8

/* ---- export and calling-convention macros --------------------------------------------- */

#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(BTX_BUILDING_LIBRARY)
#    define BTX_API __declspec(dllexport)
#  elif defined(BTX_STATIC)
#    define BTX_API
#  else
#    define BTX_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define BTX_API __attribute__((visibility("default")))
#else
#  define BTX_API
#endif

#if defined(_WIN32) && (defined(_M_IX86) || defined(__i386__))
#  define BTX_CALL __cdecl
#else
#  define BTX_CALL
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- return codes (action family; never returned by buffer or int getters) ------------ */

typedef enum btx_status {
    BTX_OK               =  0, /* success */
    BTX_ERR_GENERIC      = -1, /* unclassified failure (never returned in v8) */
    BTX_ERR_BAD_HANDLE   = -2, /* torrent handle (or btx_remove's session/torrent pair) not live */
    BTX_ERR_INVALID_ARG  = -3, /* NULL, empty, malformed or out-of-range argument */
    BTX_ERR_SESSION_LIVE = -4, /* reserved: a refused second session returns 0 from btx_session_new */
    BTX_ERR_NO_SESSION   = -5, /* the session handle is not live */
    BTX_ERR_EXCEPTION    = -6, /* internal failure caught by the exception firewall */
    BTX_ERR_ABI          = -7  /* reserved */
} btx_status;

/* ======================================================================================= */
/* 1. Lifecycle and diagnostics                                                             */
/* ======================================================================================= */

/* Int getter. Returns BTX_ABI_VERSION (8). Cannot fail. */
BTX_API int BTX_CALL btx_abi_version(void);

/* Int getter. Creates the (single) session; returns its handle (65536 first, then 131072,
 * ...), or 0 with "a session is already live; free it before opening another". */
BTX_API int BTX_CALL btx_session_new(void);

/* Void. Shuts the session down and joins every engine thread before returning.
 * A stale handle is a silent no-op. Idempotent. */
BTX_API void BTX_CALL btx_session_free(int s);

/* Buffer getter (flat). Copies the last-error text (no NUL). Returns its length, 0 when it
 * is empty, or -length when it does not fit (then nothing is written). */
BTX_API int BTX_CALL btx_last_error(char *out, int cap);

/* Void. Empties the last-error text (the only way to empty it). */
BTX_API void BTX_CALL btx_clear_error(void);

/* ======================================================================================= */
/* 2. Session settings (libtorrent settings_pack names)                                     */
/* ======================================================================================= */

/* Action. Sets an int setting from decimal text (strtoll, then truncated to 32 bits).
 * -5 stale session; -3 unknown key / not an int / NULL value. */
BTX_API int BTX_CALL btx_set_int(int s, const char *key, const char *decValue);

/* Action. Sets a bool setting to (value != 0). -5 stale session; -3 unknown key / not a bool. */
BTX_API int BTX_CALL btx_set_bool(int s, const char *key, int value);

/* Action. Sets a string setting (NULL value counts as ""). -5; -3 unknown / not a string. */
BTX_API int BTX_CALL btx_set_str(int s, const char *key, const char *value);

/* Buffer getter (flat). Any setting as text: the string, "%d", or "1"/"0".
 * 0 (silent) for a stale session or a NULL/empty key; 0 with "unknown setting key". */
BTX_API int BTX_CALL btx_get_setting(int s, const char *key, char *out, int cap);

/* Action. Writes in_enc_policy, out_enc_policy and allowed_enc_level without range checks.
 * -5 stale session. */
BTX_API int BTX_CALL btx_set_encryption_policy(int s, int inPolicy, int outPolicy, int level);

/* ======================================================================================= */
/* 3. Session operations                                                                    */
/* ======================================================================================= */

/* Action. Pauses the whole session. -5 stale session. */
BTX_API int BTX_CALL btx_session_pause(int s);

/* Action. Resumes the whole session. -5 stale session. */
BTX_API int BTX_CALL btx_session_resume(int s);

/* Int getter. 1 if the session is paused, else 0 (also 0 for a stale session). */
BTX_API int BTX_CALL btx_session_is_paused(int s);

/* Int getter. The TCP port the session listens on, or 0 (not listening / stale). */
BTX_API int BTX_CALL btx_listen_port(int s);

/* Int getter. The handle of the torrent whose v1 hash, or truncated (first 20 bytes) v2
 * hash, is infoHashHex (40 hex chars, any case); 0 silently otherwise. */
BTX_API int BTX_CALL btx_find_torrent(int s, const char *infoHashHex);

/* Action. BEP 5 announce of a 40-hex info-hash on port (0 = implied port).
 * -5; -3 "info-hash must be 40 hex chars" / "bad port". */
BTX_API int BTX_CALL btx_dht_announce(int s, const char *infoHashHex, int port);

/* ======================================================================================= */
/* 4. Filtering and streaming                                                               */
/* ======================================================================================= */

/* Action. Adds the inclusive IPv4 or IPv6 range [startIp, endIp], blocked when block != 0,
 * allowed otherwise. -5; -3 null / bad start / bad end / mixed families. */
BTX_API int BTX_CALL btx_ip_filter_add(int s, const char *startIp, const char *endIp, int block);

/* Action. Installs an empty IP filter. -5 stale session. */
BTX_API int BTX_CALL btx_ip_filter_clear(int s);

/* Action. Asks for piece pieceIndex within deadlineMs milliseconds.
 * -2 stale torrent; -3 "negative piece index". */
BTX_API int BTX_CALL btx_set_piece_deadline(int t, int pieceIndex, int deadlineMs);

/* Action. Clears every piece deadline. -2 stale torrent. */
BTX_API int BTX_CALL btx_clear_piece_deadlines(int t);

/* ======================================================================================= */
/* 5. Adding and removing torrents (add functions are int getters: handle or 0)             */
/* ======================================================================================= */

/* Int getter. Adds a magnet URI (btih and/or btmh). savePath NULL or "" means "not given"
 * (the current working directory). 0 with "no live session" / "empty magnet URI" /
 * "bad magnet URI: <m>" / "add_torrent failed: <m>". Adding a torrent already in the
 * session returns its existing handle. */
BTX_API int BTX_CALL btx_add_magnet(int s, const char *uri, const char *savePath);

/* Int getter. Adds a .torrent from memory (v1, v2 or hybrid). 0 with "no live session" /
 * "empty .torrent buffer" / "invalid .torrent: <m>" / "add_torrent failed: <m>". */
BTX_API int BTX_CALL btx_add_torrent_file(int s, const void *data, int len, const char *savePath);

/* Int getter. Re-adds a torrent from a resume blob (libtorrent's resume format); a
 * non-empty savePath overrides the blob's. 0 with "no live session" /
 * "empty resume buffer" / "invalid resume data: <m>" / "add_torrent failed: <m>". */
BTX_API int BTX_CALL btx_add_with_resume(int s, const void *resume, int len, const char *savePath);

/* Int getter. btx_add_magnet with add-time flags (default & ~mask) | (flags & mask), both
 * unsigned 64-bit decimal; if either string is NULL the defaults are used. */
BTX_API int BTX_CALL btx_add_magnet_ex(int s, const char *uri, const char *savePath,
                                       const char *flagsDec, const char *maskDec);

/* Int getter. btx_add_torrent_file with the add-time flag rule of btx_add_magnet_ex. */
BTX_API int BTX_CALL btx_add_torrent_file_ex(int s, const void *data, int len, const char *savePath,
                                             const char *flagsDec, const char *maskDec);

/* Action. Removes torrent t (stale at once), deleting its files if deleteFiles != 0.
 * Completion arrives as a torrentRemoved alert. -2 "bad session/torrent handle". */
BTX_API int BTX_CALL btx_remove(int s, int t, int deleteFiles);

/* ======================================================================================= */
/* 6. Torrent control (actions; a stale torrent gives -2 "bad torrent handle")               */
/* ======================================================================================= */

/* Action. Pauses the torrent (torrentPaused alert follows). */
BTX_API int BTX_CALL btx_pause(int t);

/* Action. Resumes the torrent (torrentResumed alert follows). */
BTX_API int BTX_CALL btx_resume(int t);

/* Action. Re-hashes the data on disk. */
BTX_API int BTX_CALL btx_force_recheck(int t);

/* Action. Re-announces now (trackers, respecting their minimum interval). */
BTX_API int BTX_CALL btx_force_reannounce(int t);

/* Action. Priority truncated to 8 bits, then clamped to 0..7. -3 "negative file index". */
BTX_API int BTX_CALL btx_set_file_priority(int t, int fileIndex, int priority);

/* Action. Byte i is file i's priority (clamped 0..7, pad files forced to 0, files beyond
 * count reset to 4). -3 "bad priority buffer" for NULL or count < 0. */
BTX_API int BTX_CALL btx_set_file_priorities(int t, const void *prios, int count);

/* Action. Priority truncated to 8 bits, then clamped. -3 "negative piece index". */
BTX_API int BTX_CALL btx_set_piece_priority(int t, int pieceIndex, int priority);

/* Action. Per-torrent rate limits in bytes/s as decimal text; NULL leaves a direction
 * unchanged, <= 0 means unlimited. Never returns -3. */
BTX_API int BTX_CALL btx_set_torrent_limits(int t, const char *downDec, const char *upDec);

/* ======================================================================================= */
/* 7. Extended control                                                                      */
/* ======================================================================================= */

/* Action. Sets the flag bits selected by mask to the values in flags (64-bit unsigned
 * decimal text, BTX_TF_* in btx_record.h). -3 "null flags". */
BTX_API int BTX_CALL btx_set_torrent_flags(int t, const char *flagsDec, const char *maskDec);

/* Action. Clears the given flag bits. -3 "null flags". */
BTX_API int BTX_CALL btx_unset_torrent_flags(int t, const char *flagsDec);

/* Action. Connection limit; values <= 0 mean unlimited. */
BTX_API int BTX_CALL btx_set_max_connections(int t, int maxConns);

/* Action. Upload-slot limit; values <= 0 mean unlimited. */
BTX_API int BTX_CALL btx_set_max_uploads(int t, int maxUploads);

/* Action. Clears the torrent's error state. */
BTX_API int BTX_CALL btx_torrent_clear_error(int t);

/* Action. Scrapes the torrent's trackers (scrapeReply / trackerError alerts follow). */
BTX_API int BTX_CALL btx_scrape_tracker(int t);

/* Action. Moves the files to savePath (storageMoved or fileError alert follows).
 * -3 "empty save path". */
BTX_API int BTX_CALL btx_move_storage(int t, const char *savePath);

/* Int getter. 0-based download-queue position, or -1 when not queued or when t is stale
 * (silent). 0 on an internal failure. */
BTX_API int BTX_CALL btx_queue_position(int t);

/* Action. op: 0 up (towards position 0), 1 down, 2 top, 3 bottom.
 * -2 stale torrent (checked first); -3 "queue op must be 0..3". */
BTX_API int BTX_CALL btx_queue_move(int t, int op);

/* ======================================================================================= */
/* 8. Status and inspection (buffer getters; a stale torrent gives 0 silently)              */
/* ======================================================================================= */

/* Buffer getter (record). One kvrecord snapshot: fields 1..10, 11 and 12 when the hashes
 * exist, 16..28, then 13..15 once metadata is known. */
BTX_API int BTX_CALL btx_torrent_status(int t, void *out, int cap);

/* Int getter. Number of occupied torrent slots of session s (0 if stale). */
BTX_API int BTX_CALL btx_torrent_count(int s);

/* Int getter. The index-th live torrent handle in ascending slot order, or 0. */
BTX_API int BTX_CALL btx_torrent_handle_at(int s, int index);

/* Buffer getter (flat). The v1 info-hash (40 hex) if any, else the v2 (64 hex), else 0. */
BTX_API int BTX_CALL btx_info_hash_hex(int t, char *out, int cap);

/* Buffer getter (flat). Have-bitfield, ceil(numPieces/8) bytes, MSB first; 0 without one. */
BTX_API int BTX_CALL btx_piece_bitfield(int t, void *out, int cap);

/* Buffer getter (record list). One entry per peer connection: fields 40..45. */
BTX_API int BTX_CALL btx_peer_list(int t, void *out, int cap);

/* Buffer getter (record list). One entry per file, pad files included: fields 120..123.
 * Before metadata: an empty list (00 00, returns 2). */
BTX_API int BTX_CALL btx_file_list(int t, void *out, int cap);

/* Buffer getter (flat). One byte per piece: connected peers having it (0..255);
 * 0 before metadata and while seeding. */
BTX_API int BTX_CALL btx_piece_availability(int t, void *out, int cap);

/* ======================================================================================= */
/* 9. Trackers and web seeds                                                                */
/* ======================================================================================= */

/* Buffer getter (record list). One entry per tracker: fields 130..133. */
BTX_API int BTX_CALL btx_trackers(int t, void *out, int cap);

/* Action. Adds a tracker (tier clamped to 0..255; an existing URL is left unchanged).
 * -3 "empty tracker url". */
BTX_API int BTX_CALL btx_add_tracker(int t, const char *url, int tier);

/* Action. Adds a BEP 19 web seed. -3 "empty url seed". */
BTX_API int BTX_CALL btx_add_url_seed(int t, const char *url);

/* Action. Removes a BEP 19 web seed. -3 "empty url seed". */
BTX_API int BTX_CALL btx_remove_url_seed(int t, const char *url);

/* Buffer getter (record list). One single-field (134) entry per web seed, sorted. */
BTX_API int BTX_CALL btx_url_seeds(int t, void *out, int cap);

/* ======================================================================================= */
/* 10. The alert drain                                                                      */
/* ======================================================================================= */

/* Buffer getter (drain). Writes n:u16 then n x (alertType:u16 bodyLen:u16 kvrecord) and
 * returns the RECORD COUNT n (not a byte count). Records that do not fit are kept, in
 * order, for the next call; when not even the oldest fits it returns -(2 + its size).
 * 0 for a stale session (nothing written). */
BTX_API int BTX_CALL btx_pop_alerts(int s, void *out, int cap);

/* ======================================================================================= */
/* 11. DHT                                                                                  */
/* ======================================================================================= */

/* Action. Adds host:port as a DHT node (resolved asynchronously).
 * -5; -3 "bad DHT bootstrap host/port". */
BTX_API int BTX_CALL btx_dht_add_bootstrap(int s, const char *host, int port);

/* Buffer getter (record). Fields 100..103 (nodes, node cache, global nodes, torrents). */
BTX_API int BTX_CALL btx_dht_state(int s, void *out, int cap);

/* Buffer getter (flat). The DHT routing state, bencoded (opaque). */
BTX_API int BTX_CALL btx_dht_save_state(int s, void *out, int cap);

/* Action. Loads a blob written by btx_dht_save_state. -5; -3 "empty DHT state" or garbage. */
BTX_API int BTX_CALL btx_dht_load_state(int s, const void *data, int len);

/* Buffer getter (record). Ed25519 keypair from a 64-hex seed (NULL/"" = random): fields
 * 106 public key, 112 expanded secret key, 113 seed; 270 bytes. Needs no session.
 * 0 with "seed must be empty or 64 hex chars". */
BTX_API int BTX_CALL btx_dht_keypair(const char *seedHexOrEmpty, void *out, int cap);

/* Buffer getter (flat). Starts a BEP 44 immutable put and returns the 40-hex target.
 * 0 (silent) stale session; 0 with "value must be 0..1000 bytes". */
BTX_API int BTX_CALL btx_dht_put_immutable(int s, const void *data, int len, char *outTargetHex, int cap);

/* Action. Starts an immutable get (dhtImmutableItem alert). -5; -3 "target must be 40 hex chars". */
BTX_API int BTX_CALL btx_dht_get_immutable(int s, const char *targetHex);

/* Action. Starts a BEP 44 mutable put (dhtPut alert). salt NULL counts as "".
 * -5; -3 bad value size / public key / secret key. */
BTX_API int BTX_CALL btx_dht_put_mutable(int s, const char *publicKeyHex, const char *secretKeyHex,
                                         const char *salt, const void *data, int len);

/* Action. Starts a mutable get (dhtMutableItem alerts). -5; -3 "public key must be 64 hex chars". */
BTX_API int BTX_CALL btx_dht_get_mutable(int s, const char *publicKeyHex, const char *salt);

/* ======================================================================================= */
/* 12. Persistence                                                                          */
/* ======================================================================================= */

/* Action. Requests resume data (resumeDataReady / resumeDataFailed alert follows). */
BTX_API int BTX_CALL btx_save_resume(int t);

/* ======================================================================================= */
/* 13. Creating torrents                                                                    */
/* ======================================================================================= */

/* Buffer getter (flat). Builds a .torrent for a file or directory (blocks while hashing;
 * needs no session). pieceSize 0 = automatic; flags are BTX_CF_* (btx_record.h); trackers
 * is newline-separated, one tier per line. 0 with "empty content path" /
 * "no files at content path" / "hashing failed: <m>" / "libtorrent exception: <m>". */
BTX_API int BTX_CALL btx_create_torrent(const char *contentPath, int pieceSize, int flags,
                                        const char *trackers, void *out, int cap);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* BTX_ABI_H */
