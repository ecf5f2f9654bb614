/* SPDX-License-Identifier: MIT */
/*
 * replay.c -- replays what lcb/torrent.lcb does for a poll cycle, against a live session of
 * dist/linux-x64/libtorrentxt.so.
 *
 * The binding has no headless engine to run in, so this program does its work in C: the same
 * output blocks (a 64 KiB drain block and an 8 KiB scratch block shared by every other getter,
 * grown once to exactly -needed and kept when bigger), the same single grow-and-retry, and the
 * same record walker (lcbwalk.c, a transliteration of the LCB walker's byte offsets). Every
 * record the walker decodes is then walked again with btx_record.h's reader on the same bytes
 * and the two are compared key by key and value by value; the keys come from an independent
 * copy of the contract's field registry, so a wrong entry in the binding's key table shows up.
 *
 * One cycle is: btPoll (after a pause/resume so events are pending), btTorrentStatus,
 * btFileList, btTrackers, btWebSeeds, btPeerList, btDhtState, btDhtKeypair, btInfoHash and
 * btLastError. It runs three times:
 *   binding   the binding's seed sizes (8 KiB / 64 KiB): nothing needs a retry;
 *   tiny      both blocks seeded with 1 byte and shared, exactly as the binding shares them;
 *   fresh     a fresh tiny block (1, 2, 3, 5 or 9 bytes) before every call, so the
 *             grow-and-retry path of every getter runs; results must equal the binding cycle's.
 * A peer cycle connects a loopback BitTorrent handshake so btPeerList has an entry to walk.
 *
 * The session has DHT, LSD, UPnP and NAT-PMP off and listens on 127.0.0.1:0; the torrent is
 * made with btx_create_torrent from a temporary folder and added back with its data (it checks
 * to seeding); trackers and web seeds are loopback URLs. Nothing leaves the machine.
 * Ends with "N passed, N failed"; exit status 1 on any failure.
 */
#define _XOPEN_SOURCE 700
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "btx_abi.h"
#include "btx_record.h"
#include "lcbwalk.h"

/* ---- checks ------------------------------------------------------------------------------- */

static int g_pass, g_fail;
static const char *g_phase = "setup";

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int check(int ok, const char *fmt, ...)
{
    if (ok) {
        g_pass++;
    } else {
        va_list ap;
        g_fail++;
        printf("FAIL [lcb-replay %s] ", g_phase);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
    }
    return ok;
}

static void note(const char *fmt, ...)
{
    va_list ap;
    printf("note [lcb-replay %s] ", g_phase);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- the contract's tables, independent of the binding's (keys of section 3.7, names of 5) -- */

static const struct { unsigned id; const char *key; } k_registry[] = {
    {BTX_F_NAME, "name"}, {BTX_F_STATE, "state"}, {BTX_F_PROGRESS, "progress"},
    {BTX_F_DOWNLOAD_RATE, "downloadRate"}, {BTX_F_UPLOAD_RATE, "uploadRate"},
    {BTX_F_TOTAL_DONE, "totalDone"}, {BTX_F_TOTAL_WANTED, "totalWanted"}, {BTX_F_NUM_PEERS, "numPeers"},
    {BTX_F_NUM_SEEDS, "numSeeds"}, {BTX_F_SAVE_PATH, "savePath"}, {BTX_F_INFO_HASH_V1, "infoHashV1"},
    {BTX_F_INFO_HASH_V2, "infoHashV2"}, {BTX_F_NUM_PIECES, "numPieces"}, {BTX_F_PIECE_LENGTH, "pieceLength"},
    {BTX_F_TOTAL_SIZE, "totalSize"}, {BTX_F_ALL_TIME_DOWNLOAD, "allTimeDownload"},
    {BTX_F_ALL_TIME_UPLOAD, "allTimeUpload"}, {BTX_F_NUM_COMPLETE, "numComplete"},
    {BTX_F_NUM_INCOMPLETE, "numIncomplete"}, {BTX_F_IS_FINISHED, "isFinished"}, {BTX_F_IS_SEEDING, "isSeeding"},
    {BTX_F_IS_PAUSED, "isPaused"}, {BTX_F_ERROR, "error"}, {BTX_F_ETA, "eta"}, {BTX_F_ADDED_TIME, "addedTime"},
    {BTX_F_COMPLETED_TIME, "completedTime"}, {BTX_F_NUM_CONNECTIONS, "numConnections"}, {BTX_F_FLAGS, "flags"},
    {BTX_F_PEER_ENDPOINT, "endpoint"}, {BTX_F_PEER_CLIENT, "client"}, {BTX_F_PEER_DOWN_RATE, "downRate"},
    {BTX_F_PEER_UP_RATE, "upRate"}, {BTX_F_PEER_PROGRESS, "progress"}, {BTX_F_PEER_FLAGS, "flags"},
    {BTX_F_EVT_TORRENT, "torrent"}, {BTX_F_EVT_MESSAGE, "message"}, {BTX_F_EVT_ERROR_CODE, "errorCode"},
    {BTX_F_EVT_ERROR_MESSAGE, "errorMessage"}, {BTX_F_EVT_PIECE_INDEX, "piece"}, {BTX_F_EVT_STATE, "state"},
    {BTX_F_EVT_PREV_STATE, "prevState"}, {BTX_F_EVT_TRACKER_URL, "tracker"}, {BTX_F_EVT_NUM_PEERS, "numPeers"},
    {BTX_F_EVT_RESUME_DATA, "resumeData"}, {BTX_F_EVT_INFO_HASH_V1, "infoHashV1"},
    {BTX_F_EVT_INFO_HASH_V2, "infoHashV2"}, {BTX_F_EVT_NAME, "torrentName"}, {BTX_F_EVT_ENDPOINT, "endpoint"},
    {BTX_F_DHT_NODES, "nodes"}, {BTX_F_DHT_NODE_CACHE, "nodeCache"}, {BTX_F_DHT_GLOBAL_NODES, "globalNodes"},
    {BTX_F_DHT_TORRENTS, "torrents"}, {BTX_F_DHT_TARGET, "target"}, {BTX_F_DHT_VALUE, "value"},
    {BTX_F_DHT_PUBLIC_KEY, "publicKey"}, {BTX_F_DHT_SIGNATURE, "signature"}, {BTX_F_DHT_SEQ, "seq"},
    {BTX_F_DHT_SALT, "salt"}, {BTX_F_DHT_AUTHORITATIVE, "authoritative"}, {BTX_F_DHT_NUM_SUCCESS, "numSuccess"},
    {BTX_F_DHT_SECRET_KEY, "secretKey"}, {BTX_F_DHT_SEED, "seed"}, {BTX_F_FILE_PATH, "path"},
    {BTX_F_FILE_SIZE, "size"}, {BTX_F_FILE_PROGRESS, "progress"}, {BTX_F_FILE_PRIORITY, "priority"},
    {BTX_F_TRACKER_URL, "url"}, {BTX_F_TRACKER_TIER, "tier"}, {BTX_F_TRACKER_VERIFIED, "verified"},
    {BTX_F_TRACKER_SOURCE, "source"}, {BTX_F_URL_SEED, "urlSeed"},
};

static const char *k_alert_names[] = {
    NULL, "torrentAdded", "metadataReceived", "pieceFinished", "torrentFinished", "torrentError",
    "stateChanged", "trackerReply", "trackerError", "resumeDataReady", "resumeDataFailed",
    "torrentRemoved", "dhtBootstrap", "listenSucceeded", "listenFailed", "torrentPaused",
    "torrentResumed", "fileCompleted", "fileError", "storageMoved", "fastresumeRejected",
    "scrapeReply", "dhtImmutableItem", "dhtMutableItem", "dhtPut",
};

static const char *registry_key(unsigned id)
{
    size_t i;
    for (i = 0; i < sizeof k_registry / sizeof k_registry[0]; i++)
        if (k_registry[i].id == id) return k_registry[i].key;
    return NULL;
}

/* The binding's constants against btx_record.h (lcbwalk.h keeps its own copies). */
static void check_constants(void)
{
    size_t i;
    g_phase = "constants";
    check(kTypeInt == BTX_T_INT && kTypeReal == BTX_T_REAL && kTypeUtf8 == BTX_T_UTF8 && kTypeRaw == BTX_T_RAW &&
          kTypeHex == BTX_T_HEX, "the walker's kType* constants equal BTX_T_*");
    check(kKeyTableSize == BTX_F_URL_SEED + 1, "kKeyTableSize is one past the highest field id");
    check(kNamedAlertCount == BTX_A_DHT_PUT, "kNamedAlertCount is the highest alert code");
    for (i = 0; i < sizeof k_registry / sizeof k_registry[0]; i++)
        check(strcmp(lcb_field_key((int)k_registry[i].id), k_registry[i].key) == 0,
              "the binding's key for field %u is \"%s\"; the contract's is \"%s\"", k_registry[i].id,
              lcb_field_key((int)k_registry[i].id), k_registry[i].key);
    for (i = 1; i < sizeof k_alert_names / sizeof k_alert_names[0]; i++)
        check(strcmp(lcb_alert_name((int)i), k_alert_names[i]) == 0, "alert %zu is named \"%s\", not \"%s\"", i,
              lcb_alert_name((int)i), k_alert_names[i]);
    check(strcmp(lcb_alert_name(0), "torrentEvent") == 0 && strcmp(lcb_alert_name(25), "torrentEvent") == 0 &&
          strcmp(lcb_alert_name(65535), "torrentEvent") == 0, "unknown alert codes are \"torrentEvent\"");
    check(lcb_field_key(29)[0] == '\0' && lcb_field_key(135)[0] == '\0' && lcb_field_key(255)[0] == '\0',
          "unassigned field ids have no key (the walker skips them)");
}

/* ---- cross-check: btx_record.h's reader on the same bytes ----------------------------------- */

/* Builds what the contract says the binding must produce for one kvrecord, from btx_record.h's
 * reader: key from the registry, Data for raw values, later duplicates overwrite (LCB arrays). */
static int expected_record(btx_rec_iter *it, lcb_array *out, const char *what)
{
    btx_field f;
    int r, ok = 1;
    memset(out, 0, sizeof *out);
    while ((r = btx_rec_next_field(it, &f)) == 1) {
        const char *key = registry_key(f.id);
        ok &= check(key != NULL, "%s: field id %u is not in the contract's registry", what, f.id);
        ok &= check(f.type <= BTX_T_HEX, "%s: field %u has wire type %u", what, f.id, f.type);
        if (f.type != BTX_T_RAW)
            ok &= check(lcb_utf8_ok(f.value, f.len), "%s: field %u (%s) is not valid UTF-8", what, f.id,
                        key ? key : "?");
        if (key == NULL || f.type > BTX_T_HEX) continue;
        {
            /* the same insertion rule as the walker, written independently */
            size_t i;
            lcb_elem *e = NULL;
            for (i = 0; i < out->n; i++)
                if (strcasecmp(out->e[i].key, key) == 0) { e = &out->e[i]; free(e->bytes); break; }
            if (e == NULL) {
                if (out->n == out->cap) {
                    out->cap = out->cap ? out->cap * 2 : 8;
                    out->e = (lcb_elem *)realloc(out->e, out->cap * sizeof *out->e);
                    if (out->e == NULL) abort();
                }
                e = &out->e[out->n++];
                memset(e, 0, sizeof *e);
                snprintf(e->key, sizeof e->key, "%s", key);
            }
            e->bytes = (unsigned char *)malloc(f.len + 1);
            if (e->bytes == NULL) abort();
            if (f.len) memcpy(e->bytes, f.value, f.len);
            e->bytes[f.len] = 0;
            e->len = f.len;
            e->is_data = f.type == BTX_T_RAW;
        }
    }
    ok &= check(r == 0, "%s: btx_record.h finds the record malformed", what);
    return ok;
}

static int same_record(const lcb_array *got, const lcb_array *want, const char *what)
{
    size_t i;
    int ok = check(got->n == want->n, "%s: the walker decoded %zu keys, btx_record.h %zu", what, got->n, want->n);
    for (i = 0; i < want->n; i++) {
        const lcb_elem *w = &want->e[i];
        const lcb_elem *g = lcb_array_get(got, w->key);
        if (!check(g != NULL, "%s: key \"%s\" missing from the walker's array", what, w->key)) {
            ok = 0;
            continue;
        }
        ok &= check(g->is_data == w->is_data && !g->is_number, "%s: \"%s\" decoded as %s, expected %s", what, w->key,
                    g->is_data ? "Data" : "String", w->is_data ? "Data" : "String");
        ok &= check(g->len == w->len && memcmp(g->bytes, w->bytes, w->len) == 0,
                    "%s: \"%s\" is \"%.*s\", btx_record.h reads \"%.*s\"", what, w->key, (int)g->len,
                    (const char *)g->bytes, (int)w->len, (const char *)w->bytes);
    }
    return ok;
}

static void xcheck_single(const unsigned char *bytes, int len, const lcb_array *got, const char *what)
{
    btx_rec_iter it;
    lcb_array want;
    if (!check(btx_rec_init(&it, bytes, (size_t)len) == 0, "%s: btx_rec_init failed", what)) return;
    expected_record(&it, &want, what);
    check(btx_rec_size(bytes, (size_t)len) == len, "%s: the record is %ld bytes, the getter returned %d", what,
          btx_rec_size(bytes, (size_t)len), len);
    same_record(got, &want, what);
    lcb_array_free(&want);
}

static void xcheck_list(const unsigned char *bytes, int len, const lcb_list *got, const char *what)
{
    btx_list_iter it;
    btx_rec_iter rec;
    size_t k = 0;
    int r;
    char label[160];
    if (!check(btx_list_init(&it, bytes, (size_t)len) == 0, "%s: btx_list_init failed", what)) return;
    check(it.count == got->n, "%s: %u entries per btx_record.h, the walker produced %zu", what, it.count, got->n);
    while ((r = btx_list_next(&it, &rec)) == 1) {
        lcb_array want;
        snprintf(label, sizeof label, "%s entry %zu", what, k);
        expected_record(&rec, &want, label);
        if (k < got->n) same_record(&got->items[k], &want, label);
        lcb_array_free(&want);
        k++;
    }
    check(r == 0, "%s: btx_record.h finds the list malformed", what);
    check(it.pos == (size_t)len, "%s: the entries end at %zu, the getter returned %d bytes", what, it.pos, len);
}

static void xcheck_drain(const unsigned char *bytes, int cap, int count, const lcb_list *got, const char *what)
{
    btx_alert_iter it;
    btx_rec_iter rec;
    unsigned type;
    size_t k = 0;
    int r;
    char label[160];
    if (!check(btx_alert_init(&it, bytes, (size_t)cap) == 0, "%s: btx_alert_init failed", what)) return;
    check((int)it.count == count, "%s: the drain header says %u records, btx_pop_alerts returned %d", what, it.count,
          count);
    check(got->n == it.count, "%s: the walker produced %zu events for %u records", what, got->n, it.count);
    while ((r = btx_alert_next(&it, &type, &rec)) == 1) {
        lcb_array want;
        snprintf(label, sizeof label, "%s event %zu (code %u)", what, k, type);
        expected_record(&rec, &want, label);
        check(want.n > 0 && strcmp(want.e[0].key, "torrent") == 0, "%s: the first field is not F_EVT_TORRENT", label);
        if (k < got->n) {
            lcb_array *ev = &got->items[k];
            const lcb_elem *code = lcb_array_get(ev, "code");
            const char *name = type < sizeof k_alert_names / sizeof k_alert_names[0] && type > 0
                                   ? k_alert_names[type] : "torrentEvent";
            check(code != NULL && code->is_number && code->number == (long long)type,
                  "%s: \"code\" is not the alert code", label);
            check(lcb_array_str_is(ev, "name", name), "%s: \"name\" is not \"%s\"", label, name);
            /* the record's own keys, without the two the walker adds */
            {
                lcb_array fields = *ev;
                lcb_array trimmed = {NULL, 0, 0};
                size_t i;
                trimmed.e = (lcb_elem *)calloc(fields.n ? fields.n : 1, sizeof *trimmed.e);
                if (trimmed.e == NULL) abort();
                for (i = 0; i < fields.n; i++)
                    if (strcmp(fields.e[i].key, "code") != 0 && strcmp(fields.e[i].key, "name") != 0)
                        trimmed.e[trimmed.n++] = fields.e[i];
                same_record(&trimmed, &want, label);
                free(trimmed.e);
            }
        }
        lcb_array_free(&want);
        k++;
    }
    check(r == 0, "%s: btx_record.h finds the drain malformed", what);
}

/* ---- the binding's public handlers, replayed ----------------------------------------------- */

typedef struct binding {
    const char *label;
    lcb_block drain;        /* sDrainBlock / sDrainCap */
    lcb_block scratch;      /* sScratchBlock / sScratchCap */
    int fresh_seed;         /* > 0: every call starts from a fresh block of this many bytes */
    int calls, retries, retry_failures;
} binding;

typedef int (*getter_fn)(int h, void *out, int cap);

static const char *g_keypair_seed;
static int keypair_getter(int unused, void *out, int cap)
{
    (void)unused;
    return btx_dht_keypair(g_keypair_seed, out, cap);
}

static int last_error_getter(int unused, void *out, int cap)
{
    (void)unused;
    return btx_last_error((char *)out, cap);
}

static int info_hash_getter(int t, void *out, int cap)
{
    return btx_info_hash_hex(t, (char *)out, cap);
}

static void fresh_block(binding *b, lcb_block *blk)
{
    static const int sizes[] = {1, 2, 3, 5, 9};
    if (b->fresh_seed <= 0) return;
    lcb_block_free(blk);
    blk->seed = sizes[b->calls % 5];
}

/* The shape every getter handler of the binding has:
 *   if not _xReady(0) then return empty
 *   put _btx_x(h, block, cap) into tResult
 *   if tResult < 0 and _xReady(0 - tResult) then put _btx_x(h, block, cap) into tResult
 * Returns tResult; the caller copies the bytes (_blockBytes) as the handler does. */
static int call_getter(binding *b, lcb_block *blk, getter_fn fn, int h, const char *what)
{
    int r, cap_before, retried = 0, seed;
    fresh_block(b, blk);
    seed = blk->seed;
    b->calls++;
    if (!check(lcb_block_ready(blk, 0), "%s: the block could not be allocated", what)) return 0;
    r = fn(h, blk->p, blk->cap);
    if (r < 0) {
        cap_before = blk->cap;
        if (lcb_block_ready(blk, 0 - r)) {
            retried = 1;
            b->retries++;
            check(blk->cap >= cap_before && blk->cap >= -r, "%s: the grown block (%d) is smaller than needed (%d)",
                  what, blk->cap, -r);
            r = fn(h, blk->p, blk->cap);
            if (r < 0) b->retry_failures++;
            check(r >= 0, "%s: still -needed (%d) after one grow-and-retry with %d bytes", what, r, blk->cap);
        }
    }
    if (b->fresh_seed > 0)
        check(retried || r <= seed, "%s: a %d-byte result in a fresh %d-byte block did not take the grow-and-retry "
              "path", what, r, seed);
    return r;
}

/* _blockBytes(block, n): a copy of the first n bytes (NULL for n <= 0) */
static unsigned char *block_bytes(const lcb_block *blk, int n)
{
    unsigned char *copy;
    if (n <= 0) return NULL;
    copy = (unsigned char *)malloc((size_t)n);
    if (copy == NULL) abort();
    memcpy(copy, blk->p, (size_t)n);
    return copy;
}

/* btTorrentStatus, btDhtState, btDhtKeypair: _decodeRecord(_blockBytes(block, r), 0, r) */
static lcb_array bt_record(binding *b, getter_fn fn, int h, const char *what)
{
    lcb_array rec = {NULL, 0, 0};
    int r;
    unsigned char *bytes;
    r = call_getter(b, &b->scratch, fn, h, what);
    if (r <= 0) return rec;
    bytes = block_bytes(&b->scratch, r);
    rec = lcb_decode_record(bytes, 0, r);
    xcheck_single(bytes, r, &rec, what);
    free(bytes);
    return rec;
}

/* btPeerList, btFileList, btTrackers, btWebSeeds: _walkList(_blockBytes(block, r), r) */
static lcb_list bt_list(binding *b, getter_fn fn, int h, const char *what)
{
    lcb_list list = {NULL, 0, 0};
    int r;
    unsigned char *bytes;
    r = call_getter(b, &b->scratch, fn, h, what);
    if (r <= 0) return list;
    bytes = block_bytes(&b->scratch, r);
    list = lcb_walk_list(bytes, r);
    xcheck_list(bytes, r, &list, what);
    free(bytes);
    return list;
}

/* btInfoHash, btLastError: _bytesToString(_blockBytes(block, r)); the caller frees */
static char *bt_text(binding *b, getter_fn fn, int h, const char *what)
{
    int r = call_getter(b, &b->scratch, fn, h, what);
    char *s = (char *)malloc(r > 0 ? (size_t)r + 1 : 1);
    if (s == NULL) abort();
    if (r > 0) memcpy(s, b->scratch.p, (size_t)r);
    s[r > 0 ? r : 0] = 0;
    if (r > 0) check(lcb_utf8_ok((const unsigned char *)s, (size_t)r), "%s: text is not valid UTF-8", what);
    return s;
}

/* btPoll: the whole drain block is copied and walked by count */
static lcb_list bt_poll(binding *b, int s)
{
    lcb_list events = {NULL, 0, 0};
    int r;
    unsigned char *bytes;
    r = call_getter(b, &b->drain, btx_pop_alerts, s, "btPoll");
    if (r <= 0) return events;
    bytes = block_bytes(&b->drain, b->drain.cap);
    events = lcb_walk_drain(bytes, b->drain.cap);
    xcheck_drain(bytes, b->drain.cap, r, &events, "btPoll");
    free(bytes);
    return events;
}

/* btCreateTorrent: _blockBytes(block, r) */
static unsigned char *bt_create_torrent(binding *b, const char *path, const char *trackers, int *len)
{
    int r;
    unsigned char *bytes;
    b->calls++;
    if (!lcb_block_ready(&b->scratch, 0)) return NULL;
    r = btx_create_torrent(path, 0, 0, trackers, b->scratch.p, b->scratch.cap);
    if (r < 0 && lcb_block_ready(&b->scratch, 0 - r)) {
        b->retries++;
        r = btx_create_torrent(path, 0, 0, trackers, b->scratch.p, b->scratch.cap);
    }
    bytes = block_bytes(&b->scratch, r);
    *len = r;
    return bytes;
}

/* ---- fixtures ------------------------------------------------------------------------------ */

static int write_file(const char *path, const unsigned char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) return 0;
    if (n && fwrite(data, 1, n, f) != n) { fclose(f); return 0; }
    return fclose(f) == 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static char g_tmp[256], g_content[300];

static int make_content(void)
{
    unsigned char *buf;
    size_t i;
    char path[400];
    unsigned x = 12345;
    snprintf(g_tmp, sizeof g_tmp, "/tmp/lcb-replay-XXXXXX");
    if (mkdtemp(g_tmp) == NULL) return 0;
    snprintf(g_content, sizeof g_content, "%s/content", g_tmp);
    snprintf(path, sizeof path, "%s/sub", g_content);
    if (mkdir(g_content, 0755) != 0 || mkdir(path, 0755) != 0) return 0;
    buf = (unsigned char *)malloc(100000);
    if (buf == NULL) return 0;
    for (i = 0; i < 100000; i++) { x = x * 1103515245u + 12345u; buf[i] = (unsigned char)(x >> 16); }
    snprintf(path, sizeof path, "%s/a.bin", g_content);
    if (!write_file(path, buf, 100000)) { free(buf); return 0; }
    snprintf(path, sizeof path, "%s/sub/c.bin", g_content);
    if (!write_file(path, buf + 7, 40000)) { free(buf); return 0; }
    free(buf);
    snprintf(path, sizeof path, "%s/sub/b.txt", g_content);
    return write_file(path, (const unsigned char *)"hello\n", 6);
}

/* ---- one cycle ------------------------------------------------------------------------------ */

/* The reference results of the binding cycle, compared with the tiny cycles. */
typedef struct snapshot {
    char files[2048], trackers[2048], seeds[512], dht[256], keypair[512], hash[80];
} snapshot;

static void list_text(const lcb_list *l, const char *const *keys, char *out, size_t n)
{
    size_t i, k, used = 0;
    out[0] = 0;
    for (i = 0; i < l->n; i++)
        for (k = 0; keys[k] != NULL; k++) {
            const lcb_elem *e = lcb_array_get(&l->items[i], keys[k]);
            used += (size_t)snprintf(out + used, used < n ? n - used : 0, "%s=%s;", keys[k],
                                     e ? (const char *)e->bytes : "<none>");
            if (used >= n) return;
        }
}

static const char *RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char *RFC8032_PK = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

static int g_session, g_torrent;

static int find_event(const lcb_list *ev, const char *name, long long torrent, size_t from)
{
    size_t i;
    char t[32];
    snprintf(t, sizeof t, "%lld", torrent);
    for (i = from; i < ev->n; i++)
        if (lcb_array_str_is(&ev->items[i], "name", name) && (torrent < 0 || lcb_array_str_is(&ev->items[i], "torrent", t)))
            return (int)i;
    return -1;
}

static void append_events(lcb_list *all, lcb_list *more)
{
    size_t i;
    for (i = 0; i < more->n; i++) {
        if (all->n == all->cap) {
            all->cap = all->cap ? all->cap * 2 : 16;
            all->items = (lcb_array *)realloc(all->items, all->cap * sizeof *all->items);
            if (all->items == NULL) abort();
        }
        all->items[all->n++] = more->items[i];
    }
    free(more->items);
    more->items = NULL;
    more->n = more->cap = 0;
}

static void cycle(binding *b, snapshot *snap, const snapshot *ref)
{
    static const char *const file_keys[] = {"path", "size", "progress", "priority", NULL};
    static const char *const tracker_keys[] = {"url", "tier", "verified", "source", NULL};
    static const char *const seed_keys[] = {"urlSeed", NULL};
    static const char *const dht_keys[] = {"nodes", "nodeCache", "globalNodes", "torrents", NULL};
    static const char *const key_keys[] = {"publicKey", "secretKey", "seed", NULL};
    lcb_list events = {NULL, 0, 0}, files, trackers, seeds, peers;
    lcb_array status, dht, keypair;
    int paused, resumed;
    long long deadline;
    char handle[32], *hash, *err;
    size_t i;

    g_phase = b->label;
    snprintf(handle, sizeof handle, "%d", g_torrent);

    /* btPoll after a pause and a resume, until both events have come through */
    check(btx_pause(g_torrent) == BTX_OK, "btx_pause");
    check(btx_resume(g_torrent) == BTX_OK, "btx_resume");
    deadline = now_ms() + 10000;
    do {
        lcb_list more = bt_poll(b, g_session);
        append_events(&events, &more);
        paused = find_event(&events, "torrentPaused", g_torrent, 0);
        resumed = paused >= 0 ? find_event(&events, "torrentResumed", g_torrent, (size_t)paused + 1) : -1;
        if (resumed >= 0) break;
        sleep_ms(20);
    } while (now_ms() < deadline);
    check(paused >= 0 && resumed > paused, "btPoll: torrentPaused then torrentResumed for torrent %d (%zu events)",
          g_torrent, events.n);
    for (i = 0; i < events.n; i++)
        check(lcb_array_get(&events.items[i], "torrent") != NULL, "btPoll: event %zu has no \"torrent\" key", i);

    /* btTorrentStatus */
    status = bt_record(b, btx_torrent_status, g_torrent, "btTorrentStatus");
    check(lcb_array_str_is(&status, "state", "5"), "btTorrentStatus: state is %s, expected 5 (seeding)",
          lcb_array_get(&status, "state") ? (const char *)lcb_array_get(&status, "state")->bytes : "<none>");
    check(lcb_array_str_is(&status, "name", "content"), "btTorrentStatus: name is not \"content\"");
    check(lcb_array_str_is(&status, "savePath", g_tmp), "btTorrentStatus: savePath is not %s", g_tmp);
    {
        const lcb_elem *done = lcb_array_get(&status, "totalDone"), *wanted = lcb_array_get(&status, "totalWanted");
        check(done != NULL && wanted != NULL && done->len == wanted->len && memcmp(done->bytes, wanted->bytes, done->len) == 0
              && lcb_array_str_is(&status, "isSeeding", "1"), "btTorrentStatus: totalDone = totalWanted, isSeeding 1");
    }

    /* btFileList */
    files = bt_list(b, btx_file_list, g_torrent, "btFileList");
    {
        const char *want[][2] = {{"content/a.bin", "100000"}, {"content/sub/b.txt", "6"}, {"content/sub/c.bin", "40000"}};
        size_t w;
        for (w = 0; w < 3; w++) {
            int found = 0;
            for (i = 0; i < files.n; i++)
                if (lcb_array_str_is(&files.items[i], "path", want[w][0])) {
                    found = lcb_array_str_is(&files.items[i], "size", want[w][1]) &&
                            lcb_array_str_is(&files.items[i], "progress", want[w][1]) &&
                            lcb_array_str_is(&files.items[i], "priority", "4");
                }
            check(found, "btFileList: %s with size, progress %s and priority 4", want[w][0], want[w][1]);
        }
    }
    list_text(&files, file_keys, snap->files, sizeof snap->files);

    /* btTrackers */
    trackers = bt_list(b, btx_trackers, g_torrent, "btTrackers");
    check(trackers.n == 3, "btTrackers: 3 trackers, got %zu", trackers.n);
    if (trackers.n == 3) {
        check(lcb_array_str_is(&trackers.items[0], "url", "http://127.0.0.1:1/announce") &&
              lcb_array_str_is(&trackers.items[0], "tier", "0") && lcb_array_str_is(&trackers.items[0], "source", "1"),
              "btTrackers: entry 0 is the .torrent's tier-0 tracker");
        check(lcb_array_str_is(&trackers.items[1], "url", "udp://127.0.0.1:1/announce") &&
              lcb_array_str_is(&trackers.items[1], "tier", "1"), "btTrackers: entry 1 is the tier-1 tracker");
        check(lcb_array_str_is(&trackers.items[2], "url", "http://127.0.0.1:2/announce") &&
              lcb_array_str_is(&trackers.items[2], "tier", "3") && lcb_array_str_is(&trackers.items[2], "source", "2"),
              "btTrackers: entry 2 is the added tracker (tier 3, source 2)");
    }
    list_text(&trackers, tracker_keys, snap->trackers, sizeof snap->trackers);

    /* btWebSeeds: the urlSeed of every entry, in order */
    seeds = bt_list(b, btx_url_seeds, g_torrent, "btWebSeeds");
    check(seeds.n == 2 && lcb_array_str_is(&seeds.items[0], "urlSeed", "http://127.0.0.1:3/a/") &&
          lcb_array_str_is(&seeds.items[1], "urlSeed", "http://127.0.0.1:3/b/"),
          "btWebSeeds: the two web seeds, sorted");
    list_text(&seeds, seed_keys, snap->seeds, sizeof snap->seeds);

    /* btPeerList (no peer in these cycles: the walker still walks the empty list) */
    peers = bt_list(b, btx_peer_list, g_torrent, "btPeerList");
    check(peers.n == 0, "btPeerList: no peers yet, got %zu", peers.n);

    /* btDhtState */
    dht = bt_record(b, btx_dht_state, g_session, "btDhtState");
    check(dht.n == 4 && lcb_array_str_is(&dht, "nodes", "0") && lcb_array_str_is(&dht, "globalNodes", "0"),
          "btDhtState: four counters, nodes 0 with the DHT off");
    {
        lcb_list one = {&dht, 1, 1};
        list_text(&one, dht_keys, snap->dht, sizeof snap->dht);
    }

    /* btDhtKeypair with RFC 8032's first test seed */
    g_keypair_seed = RFC8032_SEED;
    keypair = bt_record(b, keypair_getter, 0, "btDhtKeypair");
    check(lcb_array_str_is(&keypair, "publicKey", RFC8032_PK), "btDhtKeypair: RFC 8032 test 1 public key");
    check(lcb_array_str_is(&keypair, "seed", RFC8032_SEED), "btDhtKeypair: the seed comes back");
    check(lcb_array_get(&keypair, "secretKey") != NULL && lcb_array_get(&keypair, "secretKey")->len == 128,
          "btDhtKeypair: a 128-hex secret key");
    {
        lcb_list one = {&keypair, 1, 1};
        list_text(&one, key_keys, snap->keypair, sizeof snap->keypair);
    }

    /* btInfoHash (flat) equals the status record's infoHashV1 */
    hash = bt_text(b, info_hash_getter, g_torrent, "btInfoHash");
    check(strlen(hash) == 40 && lcb_array_str_is(&status, "infoHashV1", hash), "btInfoHash equals infoHashV1 (%s)", hash);
    snprintf(snap->hash, sizeof snap->hash, "%s", hash);
    free(hash);

    /* btLastError after a failure */
    btx_clear_error();
    check(btx_add_magnet(g_session, "not a magnet", NULL) == 0, "btx_add_magnet refuses a bad URI");
    err = bt_text(b, last_error_getter, 0, "btLastError");
    check(strncmp(err, "bad magnet URI: ", 16) == 0, "btLastError: \"%s\"", err);
    free(err);

    if (ref != NULL) {
        check(strcmp(snap->files, ref->files) == 0, "btFileList differs from the binding cycle: %s", snap->files);
        check(strcmp(snap->trackers, ref->trackers) == 0, "btTrackers differs from the binding cycle: %s", snap->trackers);
        check(strcmp(snap->seeds, ref->seeds) == 0, "btWebSeeds differs from the binding cycle");
        check(strcmp(snap->dht, ref->dht) == 0, "btDhtState differs from the binding cycle");
        check(strcmp(snap->keypair, ref->keypair) == 0, "btDhtKeypair differs from the binding cycle");
        check(strcmp(snap->hash, ref->hash) == 0, "btInfoHash differs from the binding cycle");
    }
    check(b->retry_failures == 0, "%d getters were still -needed after their one retry", b->retry_failures);

    lcb_list_free(&events);
    lcb_list_free(&files);
    lcb_list_free(&trackers);
    lcb_list_free(&seeds);
    lcb_list_free(&peers);
    lcb_array_free(&status);
    lcb_array_free(&dht);
    lcb_array_free(&keypair);
}

/* ---- a loopback peer, so btPeerList has an entry ------------------------------------------- */

static int hex_nibble(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void peer_cycle(binding *b)
{
    int port = btx_listen_port(g_session), fd, n = 0, got = 0;
    unsigned char hs[68], reply[68];
    char hash[80] = "", local[64] = "";
    struct sockaddr_in sa, me;
    socklen_t melen = sizeof me;
    long long deadline;
    size_t i;
    lcb_list peers = {NULL, 0, 0};
    char *h;

    g_phase = "peer";
    if (!check(port > 0, "btx_listen_port is %d", port)) return;
    h = bt_text(b, info_hash_getter, g_torrent, "btInfoHash");
    snprintf(hash, sizeof hash, "%s", h);
    free(h);
    if (!check(strlen(hash) == 40, "a 40-hex info-hash")) return;
    hs[0] = 19;
    memcpy(hs + 1, "BitTorrent protocol", 19);
    memset(hs + 20, 0, 8);
    for (i = 0; i < 20; i++) hs[28 + i] = (unsigned char)(hex_nibble(hash[2 * i]) * 16 + hex_nibble(hash[2 * i + 1]));
    memcpy(hs + 48, "-LR0001-lcbreplay123", 20);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!check(fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0, "connect to 127.0.0.1:%d: %s", port,
               strerror(errno))) {
        if (fd >= 0) close(fd);
        return;
    }
    getsockname(fd, (struct sockaddr *)&me, &melen);
    snprintf(local, sizeof local, "127.0.0.1:%d", ntohs(me.sin_port));
    check(write(fd, hs, sizeof hs) == (ssize_t)sizeof hs, "send the handshake");
    deadline = now_ms() + 5000;
    while (got < 68 && now_ms() < deadline) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, 200) > 0) {
            n = (int)read(fd, reply + got, sizeof reply - (size_t)got);
            if (n <= 0) break;
            got += n;
        }
    }
    if (got < 68 || memcmp(reply + 1, "BitTorrent protocol", 19) != 0) {
        note("the library did not answer a loopback handshake (%d bytes); btPeerList walked only empty lists", got);
        close(fd);
        return;
    }
    check(memcmp(reply + 28, hs + 28, 20) == 0, "the handshake answer carries our info-hash");
    deadline = now_ms() + 5000;
    do {
        lcb_list_free(&peers);
        peers = bt_list(b, btx_peer_list, g_torrent, "btPeerList");
        if (peers.n > 0) break;
        sleep_ms(50);
    } while (now_ms() < deadline);
    check(peers.n == 1, "btPeerList: one peer while the loopback connection is open, got %zu", peers.n);
    if (peers.n >= 1) {
        check(lcb_array_str_is(&peers.items[0], "endpoint", local), "btPeerList: endpoint is %s", local);
        check(lcb_array_get(&peers.items[0], "flags") != NULL && lcb_array_get(&peers.items[0], "progress") != NULL &&
              lcb_array_get(&peers.items[0], "client") != NULL, "btPeerList: flags, progress and client keys");
    }
    lcb_list_free(&peers);
    close(fd);
}

/* ---- main ---------------------------------------------------------------------------------- */

int main(void)
{
    binding A = {"binding", {NULL, 0, kDrainBlockSeed, 0}, {NULL, 0, kScratchBlockSeed, 0}, 0, 0, 0, 0};
    binding B = {"tiny", {NULL, 0, 1, 0}, {NULL, 0, 1, 0}, 0, 0, 0, 0};
    binding C = {"fresh", {NULL, 0, 1, 0}, {NULL, 0, 1, 0}, 1, 0, 0, 0};
    snapshot ref, snap;
    unsigned char *torrent;
    int len = 0, rc = 0;
    long long deadline;
    lcb_list events = {NULL, 0, 0};
    lcb_array status = {NULL, 0, 0};

    setvbuf(stdout, NULL, _IOLBF, 0);
    check_constants();

    g_phase = "setup";
    if (!check(btx_abi_version() == 8, "btx_abi_version is 8") || !check(make_content(), "temporary content")) goto done;
    g_session = btx_session_new();
    if (!check(g_session > 0, "btx_session_new")) goto done;
    check(btx_set_bool(g_session, "enable_dht", 0) == 0 && btx_set_bool(g_session, "enable_lsd", 0) == 0 &&
          btx_set_bool(g_session, "enable_upnp", 0) == 0 && btx_set_bool(g_session, "enable_natpmp", 0) == 0 &&
          btx_set_str(g_session, "listen_interfaces", "127.0.0.1:0") == 0, "quiet loopback session");

    torrent = bt_create_torrent(&A, g_content, "http://127.0.0.1:1/announce\nudp://127.0.0.1:1/announce", &len);
    if (!check(torrent != NULL && len > 0, "btCreateTorrent: %d bytes", len)) goto done;
    g_torrent = btx_add_torrent_file(g_session, torrent, len, g_tmp);
    free(torrent);
    if (!check(g_torrent > 0, "btx_add_torrent_file")) goto done;
    check(btx_add_tracker(g_torrent, "http://127.0.0.1:2/announce", 3) == 0, "btx_add_tracker");
    check(btx_add_url_seed(g_torrent, "http://127.0.0.1:3/b/") == 0 &&
          btx_add_url_seed(g_torrent, "http://127.0.0.1:3/a/") == 0, "btx_add_url_seed x2");

    /* the poll loop an app runs until the torrent seeds */
    deadline = now_ms() + 30000;
    do {
        lcb_list more = bt_poll(&A, g_session);
        append_events(&events, &more);
        lcb_array_free(&status);
        status = bt_record(&A, btx_torrent_status, g_torrent, "btTorrentStatus");
        if (lcb_array_str_is(&status, "state", "5")) break;
        sleep_ms(50);
    } while (now_ms() < deadline);
    check(lcb_array_str_is(&status, "state", "5"), "the torrent checks to seeding within 30 s");
    {
        lcb_list more = bt_poll(&A, g_session);
        append_events(&events, &more);
    }
    check(find_event(&events, "torrentAdded", g_torrent, 0) >= 0, "btPoll: torrentAdded for torrent %d", g_torrent);
    check(A.retries == 0, "the binding's 8 KiB / 64 KiB blocks needed %d retries while starting", A.retries);

    memset(&ref, 0, sizeof ref);
    cycle(&A, &ref, NULL);
    check(A.retries == 0, "binding cycle: no getter needed a retry with 8 KiB / 64 KiB blocks (%d did)", A.retries);
    check(A.scratch.allocations == 1 && A.drain.allocations == 1, "binding cycle: each block allocated once");

    memset(&snap, 0, sizeof snap);
    cycle(&B, &snap, &ref);
    check(B.retries > 0 && B.scratch.allocations > 1 && B.drain.allocations > 1,
          "tiny cycle: the shared blocks grew (%d retries, %d / %d allocations)", B.retries, B.scratch.allocations,
          B.drain.allocations);

    memset(&snap, 0, sizeof snap);
    cycle(&C, &snap, &ref);
    check(C.retries >= 9, "fresh cycle: %d of %d calls took the grow-and-retry path", C.retries, C.calls);

    peer_cycle(&A);

done:
    g_phase = "teardown";
    lcb_list_free(&events);
    lcb_array_free(&status);
    if (g_session > 0) btx_session_free(g_session);
    lcb_block_free(&A.drain); lcb_block_free(&A.scratch);
    lcb_block_free(&B.drain); lcb_block_free(&B.scratch);
    lcb_block_free(&C.drain); lcb_block_free(&C.scratch);
    if (g_tmp[0]) nftw(g_tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    printf("%d passed, %d failed\n", g_pass, g_fail);
    rc = g_fail ? 1 : 0;
    return rc;
}
