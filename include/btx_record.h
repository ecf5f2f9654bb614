/* SPDX-License-Identifier: MIT */
/*
 * btx_record.h -- the TorrentXT record wire format (ABI version 8) and a small reader.
 *
 * Everything a C caller needs to walk the buffers that btx_torrent_status, btx_peer_list,
 * btx_file_list, btx_trackers, btx_url_seeds, btx_dht_state, btx_dht_keypair and
 * btx_pop_alerts fill. C99 or later (static inline, long long); also compiles as C++11 or later.
 *
 *   u16       big-endian unsigned 16-bit
 *   kvrecord  count:u16  field x count
 *   field     id:u8  type:u8  len:u16  value: len bytes      (value is never NUL-terminated)
 *   list      n:u16  n x ( bodyLen:u16  kvrecord )           bodyLen = the kvrecord's size
 *   drain     n:u16  n x ( alertType:u16  bodyLen:u16  kvrecord )
 *
 * Value encodings: int = signed decimal ASCII, real = C "%.6g" text, utf8 = text bytes,
 * raw = opaque bytes, hex = lower-case hex ASCII. Readers must skip field ids they do not
 * know. Every reader below is bounds-checked against the length it is given and never reads
 * past it; a malformed buffer yields -1, never undefined behaviour.
 *
 * Typical use:
 *     btx_rec_iter r; btx_field f;
 *     if (btx_rec_init(&r, buf, (size_t)n) == 0)
 *         while (btx_rec_next_field(&r, &f) == 1)
 *             if (f.id == BTX_F_NAME) { char name[256]; btx_field_str(&f, name, sizeof name); }
 */
#ifndef BTX_RECORD_H
#define BTX_RECORD_H

#include <stddef.h>

#if defined(__cplusplus)
#  define BTX_INLINE inline
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#  define BTX_INLINE inline
#elif defined(__GNUC__)
#  define BTX_INLINE __inline__
#elif defined(_MSC_VER)
#  define BTX_INLINE __inline
#else
#  define BTX_INLINE
#endif

/* ---- field types -------------------------------------------------------------------- */
#define BTX_T_INT  0 /* signed decimal ASCII ("%lld") */
#define BTX_T_REAL 1 /* "%.6g" ASCII */
#define BTX_T_UTF8 2 /* text bytes */
#define BTX_T_RAW  3 /* opaque bytes */
#define BTX_T_HEX  4 /* lower-case hex ASCII */

/* ---- field ids (one global registry) ------------------------------------------------ */
/* torrent status (btx_torrent_status) */
#define BTX_F_NAME               1   /* utf8 */
#define BTX_F_STATE              2   /* int, BTX_STATE_* */
#define BTX_F_PROGRESS           3   /* real 0..1 */
#define BTX_F_DOWNLOAD_RATE      4   /* int B/s */
#define BTX_F_UPLOAD_RATE        5   /* int B/s */
#define BTX_F_TOTAL_DONE         6   /* int bytes */
#define BTX_F_TOTAL_WANTED       7   /* int bytes */
#define BTX_F_NUM_PEERS          8   /* int */
#define BTX_F_NUM_SEEDS          9   /* int */
#define BTX_F_SAVE_PATH          10  /* utf8 */
#define BTX_F_INFO_HASH_V1       11  /* hex 40, only with a v1 hash */
#define BTX_F_INFO_HASH_V2       12  /* hex 64, only with a v2 hash */
#define BTX_F_NUM_PIECES         13  /* int, only with metadata (sent after field 28) */
#define BTX_F_PIECE_LENGTH       14  /* int, only with metadata */
#define BTX_F_TOTAL_SIZE         15  /* int, only with metadata (includes pad files) */
#define BTX_F_ALL_TIME_DOWNLOAD  16  /* int */
#define BTX_F_ALL_TIME_UPLOAD    17  /* int */
#define BTX_F_NUM_COMPLETE       18  /* int, -1 if unknown */
#define BTX_F_NUM_INCOMPLETE     19  /* int, -1 if unknown */
#define BTX_F_IS_FINISHED        20  /* int 0/1 */
#define BTX_F_IS_SEEDING         21  /* int 0/1 */
#define BTX_F_IS_PAUSED          22  /* int 0/1 */
#define BTX_F_ERROR              23  /* utf8, "" when none */
#define BTX_F_ETA                24  /* int seconds, -1 if unknown */
#define BTX_F_ADDED_TIME         25  /* int Unix seconds */
#define BTX_F_COMPLETED_TIME     26  /* int Unix seconds, 0 if not complete */
#define BTX_F_NUM_CONNECTIONS    27  /* int */
#define BTX_F_FLAGS              28  /* int, BTX_TF_* subset */
/* peers (btx_peer_list) */
#define BTX_F_PEER_ENDPOINT      40  /* utf8 addr:port */
#define BTX_F_PEER_CLIENT        41  /* utf8 */
#define BTX_F_PEER_DOWN_RATE     42  /* int B/s */
#define BTX_F_PEER_UP_RATE       43  /* int B/s */
#define BTX_F_PEER_PROGRESS      44  /* real 0..1 */
#define BTX_F_PEER_FLAGS         45  /* int, BTX_PF_* */
/* alerts (btx_pop_alerts); 60 is always the first field */
#define BTX_F_EVT_TORRENT        60  /* int torrent handle, 0 if none */
#define BTX_F_EVT_MESSAGE        61  /* utf8 */
#define BTX_F_EVT_ERROR_CODE     62  /* int */
#define BTX_F_EVT_ERROR_MESSAGE  63  /* utf8 */
#define BTX_F_EVT_PIECE_INDEX    64  /* int (file index for BTX_A_FILE_COMPLETED) */
#define BTX_F_EVT_STATE          65  /* int, BTX_STATE_* */
#define BTX_F_EVT_PREV_STATE     66  /* int, BTX_STATE_* */
#define BTX_F_EVT_TRACKER_URL    67  /* utf8 */
#define BTX_F_EVT_NUM_PEERS      68  /* int */
#define BTX_F_EVT_RESUME_DATA    69  /* raw bencoded resume blob */
#define BTX_F_EVT_INFO_HASH_V1   70  /* hex 40 */
#define BTX_F_EVT_INFO_HASH_V2   71  /* hex 64 */
#define BTX_F_EVT_NAME           72  /* utf8 */
#define BTX_F_EVT_ENDPOINT       73  /* utf8 */
/* DHT (btx_dht_state, btx_dht_keypair, DHT alerts) */
#define BTX_F_DHT_NODES          100 /* int */
#define BTX_F_DHT_NODE_CACHE     101 /* int */
#define BTX_F_DHT_GLOBAL_NODES   102 /* int */
#define BTX_F_DHT_TORRENTS       103 /* int */
#define BTX_F_DHT_TARGET         104 /* hex 40 */
#define BTX_F_DHT_VALUE          105 /* raw */
#define BTX_F_DHT_PUBLIC_KEY     106 /* hex 64 */
#define BTX_F_DHT_SIGNATURE      107 /* hex 128 */
#define BTX_F_DHT_SEQ            108 /* int */
#define BTX_F_DHT_SALT           109 /* utf8 */
#define BTX_F_DHT_AUTHORITATIVE  110 /* int 0/1 */
#define BTX_F_DHT_NUM_SUCCESS    111 /* int */
#define BTX_F_DHT_SECRET_KEY     112 /* hex 128 */
#define BTX_F_DHT_SEED           113 /* hex 64 */
/* files (btx_file_list) */
#define BTX_F_FILE_PATH          120 /* utf8 */
#define BTX_F_FILE_SIZE          121 /* int bytes */
#define BTX_F_FILE_PROGRESS      122 /* int bytes */
#define BTX_F_FILE_PRIORITY      123 /* int 0..7 */
/* trackers and web seeds */
#define BTX_F_TRACKER_URL        130 /* utf8 */
#define BTX_F_TRACKER_TIER       131 /* int */
#define BTX_F_TRACKER_VERIFIED   132 /* int 0/1 */
#define BTX_F_TRACKER_SOURCE     133 /* int, BTX_TS_* */
#define BTX_F_URL_SEED           134 /* utf8 */

/* ---- alert codes (alertType of a drain entry) -------------------------------------- */
#define BTX_A_TORRENT_ADDED        1
#define BTX_A_METADATA_RECEIVED    2
#define BTX_A_PIECE_FINISHED       3
#define BTX_A_TORRENT_FINISHED     4
#define BTX_A_TORRENT_ERROR        5
#define BTX_A_STATE_CHANGED        6
#define BTX_A_TRACKER_REPLY        7
#define BTX_A_TRACKER_ERROR        8
#define BTX_A_RESUME_DATA_READY    9
#define BTX_A_RESUME_DATA_FAILED   10
#define BTX_A_TORRENT_REMOVED      11
#define BTX_A_DHT_BOOTSTRAP        12
#define BTX_A_LISTEN_SUCCEEDED     13
#define BTX_A_LISTEN_FAILED        14
#define BTX_A_TORRENT_PAUSED       15
#define BTX_A_TORRENT_RESUMED      16
#define BTX_A_FILE_COMPLETED       17
#define BTX_A_FILE_ERROR           18
#define BTX_A_STORAGE_MOVED        19
#define BTX_A_FASTRESUME_REJECTED  20
#define BTX_A_SCRAPE_REPLY         21
#define BTX_A_DHT_IMMUTABLE_ITEM   22
#define BTX_A_DHT_MUTABLE_ITEM     23
#define BTX_A_DHT_PUT              24

/* ---- torrent states (BTX_F_STATE, BTX_F_EVT_STATE, BTX_F_EVT_PREV_STATE) ------------ */
#define BTX_STATE_QUEUED_FOR_CHECKING  0 /* never produced */
#define BTX_STATE_CHECKING_FILES       1
#define BTX_STATE_DOWNLOADING_METADATA 2
#define BTX_STATE_DOWNLOADING          3
#define BTX_STATE_FINISHED             4
#define BTX_STATE_SEEDING              5
#define BTX_STATE_ALLOCATING           6 /* never produced */
#define BTX_STATE_CHECKING_RESUME_DATA 7

/* ---- torrent flags (64-bit set passed as decimal text; all defined bits fit in 31) -- */
#define BTX_TF_SEED_MODE               0x00000001L /* add time only */
#define BTX_TF_UPLOAD_MODE             0x00000002L
#define BTX_TF_SHARE_MODE              0x00000004L
#define BTX_TF_APPLY_IP_FILTER         0x00000008L
#define BTX_TF_PAUSED                  0x00000010L
#define BTX_TF_AUTO_MANAGED            0x00000020L
#define BTX_TF_DUPLICATE_IS_ERROR      0x00000040L /* add time only */
#define BTX_TF_UPDATE_SUBSCRIBE        0x00000080L
#define BTX_TF_SUPER_SEEDING           0x00000100L
#define BTX_TF_SEQUENTIAL_DOWNLOAD     0x00000200L
#define BTX_TF_STOP_WHEN_READY         0x00000400L
#define BTX_TF_OVERRIDE_TRACKERS       0x00000800L /* add time only */
#define BTX_TF_OVERRIDE_WEB_SEEDS      0x00001000L /* add time only */
#define BTX_TF_NEED_SAVE_RESUME        0x00002000L
#define BTX_TF_PINNED                  0x00004000L /* deprecated */
#define BTX_TF_OVERRIDE_RESUME_DATA    0x00008000L /* deprecated */
#define BTX_TF_MERGE_RESUME_TRACKERS   0x00010000L /* deprecated */
#define BTX_TF_USE_RESUME_SAVE_PATH    0x00020000L /* deprecated */
#define BTX_TF_MERGE_RESUME_HTTP_SEEDS 0x00040000L /* deprecated */
#define BTX_TF_DISABLE_DHT             0x00080000L
#define BTX_TF_DISABLE_LSD             0x00100000L
#define BTX_TF_DISABLE_PEX             0x00200000L
#define BTX_TF_NO_VERIFY_FILES         0x00400000L /* add time only */
#define BTX_TF_DEFAULT_DONT_DOWNLOAD   0x00800000L /* add time only */
#define BTX_TF_I2P_TORRENT             0x01000000L
/* the add functions' default flags: update_subscribe|auto_managed|paused|apply_ip_filter|
 * need_save_resume */
#define BTX_TF_DEFAULT_FLAGS           8376L
/* the subset that BTX_F_FLAGS reports */
#define BTX_TF_STATUS_MASK (BTX_TF_SEED_MODE | BTX_TF_UPLOAD_MODE | BTX_TF_SHARE_MODE | \
    BTX_TF_APPLY_IP_FILTER | BTX_TF_PAUSED | BTX_TF_AUTO_MANAGED | BTX_TF_SUPER_SEEDING | \
    BTX_TF_SEQUENTIAL_DOWNLOAD | BTX_TF_STOP_WHEN_READY | BTX_TF_DISABLE_DHT | \
    BTX_TF_DISABLE_LSD | BTX_TF_DISABLE_PEX | BTX_TF_I2P_TORRENT)

/* ---- peer flags (BTX_F_PEER_FLAGS) ------------------------------------------------- */
#define BTX_PF_INTERESTING         0x00000001L
#define BTX_PF_CHOKED              0x00000002L
#define BTX_PF_REMOTE_INTERESTED   0x00000004L
#define BTX_PF_REMOTE_CHOKED       0x00000008L
#define BTX_PF_SUPPORTS_EXTENSIONS 0x00000010L
#define BTX_PF_OUTGOING_CONNECTION 0x00000020L
#define BTX_PF_HANDSHAKE           0x00000040L
#define BTX_PF_CONNECTING          0x00000080L
#define BTX_PF_QUEUED              0x00000100L /* never set */
#define BTX_PF_ON_PAROLE           0x00000200L
#define BTX_PF_SEED                0x00000400L
#define BTX_PF_OPTIMISTIC_UNCHOKE  0x00000800L
#define BTX_PF_SNUBBED             0x00001000L
#define BTX_PF_UPLOAD_ONLY         0x00002000L
#define BTX_PF_ENDGAME_MODE        0x00004000L
#define BTX_PF_HOLEPUNCHED         0x00008000L
#define BTX_PF_I2P_SOCKET          0x00010000L
#define BTX_PF_UTP_SOCKET          0x00020000L
#define BTX_PF_SSL_SOCKET          0x00040000L
#define BTX_PF_RC4_ENCRYPTED       0x00080000L
#define BTX_PF_PLAINTEXT_ENCRYPTED 0x00100000L

/* ---- tracker sources (BTX_F_TRACKER_SOURCE, a bit set) ----------------------------- */
#define BTX_TS_TORRENT     1 /* from the .torrent file */
#define BTX_TS_CLIENT      2 /* added with btx_add_tracker */
#define BTX_TS_MAGNET_LINK 4 /* from a magnet link */
#define BTX_TS_TEX         8 /* tracker exchange */

/* ---- download priorities (files and pieces) ---------------------------------------- */
#define BTX_PRIO_DONT_DOWNLOAD 0
#define BTX_PRIO_LOW           1
#define BTX_PRIO_DEFAULT       4
#define BTX_PRIO_TOP           7

/* ---- btx_queue_move ops ------------------------------------------------------------ */
#define BTX_QUEUE_UP     0 /* towards position 0 */
#define BTX_QUEUE_DOWN   1
#define BTX_QUEUE_TOP    2
#define BTX_QUEUE_BOTTOM 3

/* ---- btx_create_torrent flags ------------------------------------------------------- */
#define BTX_CF_OPTIMIZE_ALIGNMENT               0x001 /* deprecated, no effect */
#define BTX_CF_MERKLE                           0x002 /* deprecated, no effect */
#define BTX_CF_MODIFICATION_TIME                0x004
#define BTX_CF_SYMLINKS                         0x008 /* no visible effect */
#define BTX_CF_MUTABLE_TORRENT_SUPPORT          0x010 /* deprecated, no effect */
#define BTX_CF_V2_ONLY                          0x020
#define BTX_CF_V1_ONLY                          0x040
#define BTX_CF_CANONICAL_FILES                  0x080
#define BTX_CF_NO_ATTRIBUTES                    0x100 /* no effect */
#define BTX_CF_CANONICAL_FILES_NO_TAIL_PADDING  0x200

/* ---- encryption settings (btx_set_encryption_policy) -------------------------------- */
#define BTX_ENC_POLICY_FORCED   0
#define BTX_ENC_POLICY_ENABLED  1 /* default */
#define BTX_ENC_POLICY_DISABLED 2
#define BTX_ENC_LEVEL_PLAINTEXT 1
#define BTX_ENC_LEVEL_RC4       2
#define BTX_ENC_LEVEL_BOTH      3 /* default */

/* ---- alert categories (the alert_mask setting) -------------------------------------- */
#define BTX_AC_ERROR              0x00000001L
#define BTX_AC_PEER               0x00000002L
#define BTX_AC_PORT_MAPPING       0x00000004L
#define BTX_AC_STORAGE            0x00000008L
#define BTX_AC_TRACKER            0x00000010L
#define BTX_AC_CONNECT            0x00000020L
#define BTX_AC_STATUS             0x00000040L
#define BTX_AC_IP_BLOCK           0x00000100L
#define BTX_AC_PERFORMANCE_WARNING 0x00000200L
#define BTX_AC_DHT                0x00000400L
#define BTX_AC_STATS              0x00000800L
#define BTX_AC_SESSION_LOG        0x00002000L
#define BTX_AC_TORRENT_LOG        0x00004000L
#define BTX_AC_PEER_LOG           0x00008000L
#define BTX_AC_INCOMING_REQUEST   0x00010000L
#define BTX_AC_DHT_LOG            0x00020000L
#define BTX_AC_DHT_OPERATION      0x00040000L
#define BTX_AC_PORT_MAPPING_LOG   0x00080000L
#define BTX_AC_PICKER_LOG         0x00100000L
#define BTX_AC_FILE_PROGRESS      0x00200000L
#define BTX_AC_PIECE_PROGRESS     0x00400000L
#define BTX_AC_UPLOAD             0x00800000L
#define BTX_AC_BLOCK_PROGRESS     0x01000000L
/* the session's initial alert_mask (3673) */
#define BTX_AC_DEFAULT_MASK       3673L

/* ======================================================================================= */
/* The reader                                                                               */
/* ======================================================================================= */

/* One field. value points into the caller's buffer and is NOT NUL-terminated. */
typedef struct btx_field {
    unsigned id;                 /* BTX_F_* */
    unsigned type;               /* BTX_T_* */
    const unsigned char *value;  /* len bytes */
    size_t len;
} btx_field;

/* Cursor over one kvrecord. */
typedef struct btx_rec_iter {
    const unsigned char *buf;    /* the record's first byte (its count) */
    size_t len;                  /* bytes available from buf */
    size_t pos;                  /* next unread byte */
    unsigned count;              /* fields the record declares */
    unsigned index;              /* fields read so far */
} btx_rec_iter;

/* Cursor over a list (btx_peer_list, btx_file_list, btx_trackers, btx_url_seeds). */
typedef struct btx_list_iter {
    const unsigned char *buf;
    size_t len;
    size_t pos;
    unsigned count;              /* n, the number of entries */
    unsigned index;
} btx_list_iter;

/* Cursor over an alert drain (btx_pop_alerts). */
typedef struct btx_alert_iter {
    const unsigned char *buf;
    size_t len;
    size_t pos;
    unsigned count;              /* n, the number of records (= btx_pop_alerts' result) */
    unsigned index;
} btx_alert_iter;

/* Resets an iterator so that walking it yields nothing (used on every failure path, so an
 * output is never left uninitialised). */
static BTX_INLINE void btx_rec_clear(btx_rec_iter *it)
{
    it->buf = NULL;
    it->len = 0;
    it->pos = 0;
    it->count = 0;
    it->index = 0;
}

/* Reads the big-endian u16 at buf[pos]. 0 on success, -1 if it would pass len. */
static BTX_INLINE int btx_read_u16(const unsigned char *buf, size_t len, size_t pos, unsigned *out)
{
    if (buf == NULL || pos > len || len - pos < 2) return -1;
    *out = ((unsigned)buf[pos] << 8) | (unsigned)buf[pos + 1];
    return 0;
}

/* The shared start of every walk: a leading count:u16, then items from offset 2. The three
 * cursor types have the same layout, so each init fills its fields through this one helper. */
static BTX_INLINE int btx__counted_init(const unsigned char **obuf, size_t *olen, size_t *pos,
                                        unsigned *count, unsigned *index, const void *buf, size_t len)
{
    unsigned n = 0;
    *obuf = (const unsigned char *)buf;
    *olen = len;
    *pos = 0;
    *count = 0;
    *index = 0;
    if (btx_read_u16(*obuf, len, 0, &n) != 0) { *obuf = NULL; return -1; }
    *count = n;
    *pos = 2;
    return 0;
}

/* Starts walking the kvrecord at buf (len bytes available). 0 on success, -1 if malformed. */
static BTX_INLINE int btx_rec_init(btx_rec_iter *it, const void *buf, size_t len)
{
    return btx__counted_init(&it->buf, &it->len, &it->pos, &it->count, &it->index, buf, len);
}

/* Reads the next field. Returns 1 with *out filled, 0 after the record's last field, or
 * -1 when the record is malformed (a header or value would pass the end). */
static BTX_INLINE int btx_rec_next_field(btx_rec_iter *it, btx_field *out)
{
    unsigned vlen = 0;
    out->id = 0;
    out->type = 0;
    out->value = NULL;
    out->len = 0;
    if (it->buf == NULL) return -1;
    if (it->index >= it->count) return 0;
    if (it->pos > it->len || it->len - it->pos < 4) return -1;
    if (btx_read_u16(it->buf, it->len, it->pos + 2, &vlen) != 0) return -1;
    if (it->len - it->pos - 4 < (size_t)vlen) return -1;
    out->id = it->buf[it->pos];
    out->type = it->buf[it->pos + 1];
    out->value = it->buf + it->pos + 4;
    out->len = vlen;
    it->pos += 4 + (size_t)vlen;
    it->index++;
    return 1;
}

/* Bytes the record occupies, if it is well formed: walks every field. -1 if malformed. */
static BTX_INLINE long btx_rec_size(const void *buf, size_t len)
{
    btx_rec_iter it;
    btx_field f;
    int r;
    if (btx_rec_init(&it, buf, len) != 0) return -1;
    while ((r = btx_rec_next_field(&it, &f)) == 1) { }
    return r == 0 ? (long)it.pos : -1;
}

/* Finds the first field with this id. 1 found, 0 absent, -1 malformed. */
static BTX_INLINE int btx_rec_find(const void *buf, size_t len, unsigned id, btx_field *out)
{
    btx_rec_iter it;
    int r;
    if (btx_rec_init(&it, buf, len) != 0) return -1;
    while ((r = btx_rec_next_field(&it, out)) == 1)
        if (out->id == id) return 1;
    return r;
}

/* Starts walking a list. 0 on success, -1 if malformed. */
static BTX_INLINE int btx_list_init(btx_list_iter *it, const void *buf, size_t len)
{
    return btx__counted_init(&it->buf, &it->len, &it->pos, &it->count, &it->index, buf, len);
}

/* Moves to the next entry and starts *rec on its kvrecord (bounded by bodyLen).
 * 1 entry, 0 end, -1 malformed (bodyLen passes the end, or the record's own count field
 * does not fit in it). */
static BTX_INLINE int btx_list_next(btx_list_iter *it, btx_rec_iter *rec)
{
    unsigned body = 0;
    btx_rec_clear(rec);
    if (it->buf == NULL) return -1;
    if (it->index >= it->count) return 0;
    if (btx_read_u16(it->buf, it->len, it->pos, &body) != 0) return -1;
    if (it->len - it->pos - 2 < (size_t)body) return -1;
    if (btx_rec_init(rec, it->buf + it->pos + 2, body) != 0) return -1;
    it->pos += 2 + (size_t)body;
    it->index++;
    return 1;
}

/* Starts walking a drain. len is the number of valid bytes (the buffer capacity passed to
 * btx_pop_alerts is fine: entries carry their own lengths). 0 on success, -1 if malformed. */
static BTX_INLINE int btx_alert_init(btx_alert_iter *it, const void *buf, size_t len)
{
    return btx__counted_init(&it->buf, &it->len, &it->pos, &it->count, &it->index, buf, len);
}

/* Moves to the next alert: *alertType gets its code (BTX_A_*), *rec its kvrecord.
 * 1 entry, 0 end, -1 malformed. */
static BTX_INLINE int btx_alert_next(btx_alert_iter *it, unsigned *alertType, btx_rec_iter *rec)
{
    unsigned type = 0, body = 0;
    btx_rec_clear(rec);
    *alertType = 0;
    if (it->buf == NULL) return -1;
    if (it->index >= it->count) return 0;
    if (btx_read_u16(it->buf, it->len, it->pos, &type) != 0) return -1;
    if (btx_read_u16(it->buf, it->len, it->pos + 2, &body) != 0) return -1;
    if (it->len - it->pos - 4 < (size_t)body) return -1;
    if (btx_rec_init(rec, it->buf + it->pos + 4, body) != 0) return -1;
    *alertType = type;
    it->pos += 4 + (size_t)body;
    it->index++;
    return 1;
}

/* Parses a field's decimal text (optional '-', then 1..19 digits, nothing else) into *out.
 * 0 on success, -1 if the text is not a well-formed in-range integer. Works for int fields
 * and for integral real values such as "0" or "1". */
static BTX_INLINE int btx_field_ll(const btx_field *f, long long *out)
{
    size_t i = 0;
    int neg = 0;
    unsigned long long v = 0, limit;
    if (f == NULL || f->value == NULL || f->len == 0) return -1;
    if (f->value[0] == '-') { neg = 1; i = 1; }
    if (i >= f->len) return -1;
    /* the magnitude may reach 2^63 only when negative */
    limit = neg ? (unsigned long long)9223372036854775807LL + 1ULL
                : (unsigned long long)9223372036854775807LL;
    for (; i < f->len; i++) {
        unsigned d;
        if (f->value[i] < '0' || f->value[i] > '9') return -1;
        d = (unsigned)(f->value[i] - '0');
        if (v > (limit - d) / 10) return -1;
        v = v * 10 + d;
    }
    if (neg)
        *out = v == (unsigned long long)9223372036854775807LL + 1ULL
             ? (-9223372036854775807LL - 1LL) : -(long long)v;
    else
        *out = (long long)v;
    return 0;
}

/* Copies the value into dst as a NUL-terminated string, truncating to dstSize - 1 bytes.
 * Returns the full value length (like snprintf); a result >= dstSize means truncation.
 * With dstSize == 0 nothing is written. */
static BTX_INLINE size_t btx_field_str(const btx_field *f, char *dst, size_t dstSize)
{
    size_t n, i;
    if (f == NULL) { if (dst != NULL && dstSize > 0) dst[0] = '\0'; return 0; }
    if (dst == NULL || dstSize == 0) return f->len;
    n = f->len < dstSize - 1 ? f->len : dstSize - 1;
    for (i = 0; i < n; i++) dst[i] = (char)f->value[i];
    dst[n] = '\0';
    return f->len;
}

/* 1 if the value equals the NUL-terminated string s byte for byte, else 0. */
static BTX_INLINE int btx_field_eq(const btx_field *f, const char *s)
{
    size_t i;
    if (f == NULL || s == NULL) return 0;
    for (i = 0; i < f->len; i++)
        if (s[i] == '\0' || (unsigned char)s[i] != f->value[i]) return 0;
    return s[f->len] == '\0';
}

/* Convenience: the int value of field id in the record at buf. 0 on success, -1 if the
 * field is absent, the record is malformed, or the value is not an integer. */
static BTX_INLINE int btx_rec_get_ll(const void *buf, size_t len, unsigned id, long long *out)
{
    btx_field f;
    if (btx_rec_find(buf, len, id, &f) != 1) return -1;
    return btx_field_ll(&f, out);
}

/* Convenience: copies field id of the record at buf into dst (NUL-terminated, truncated).
 * Returns the full value length, or -1 if absent or malformed. */
static BTX_INLINE long btx_rec_get_str(const void *buf, size_t len, unsigned id, char *dst, size_t dstSize)
{
    btx_field f;
    if (btx_rec_find(buf, len, id, &f) != 1) {
        if (dst != NULL && dstSize > 0) dst[0] = '\0';
        return -1;
    }
    return (long)btx_field_str(&f, dst, dstSize);
}

#endif /* BTX_RECORD_H */
