/* SPDX-License-Identifier: MIT */
/*
 * lcbwalk.c -- the binding's output blocks and record walker, transliterated from
 * lcb/torrent.lcb (see lcbwalk.h for the handler each function mirrors). Offsets are the LCB
 * walker's 0-based offsets; where LCB reads "byte (o + 1) of pBytes" (1-based chunks) C reads
 * bytes[o].
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lcbwalk.h"

/* ---- values ---------------------------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) abort();
    return q;
}

void lcb_array_free(lcb_array *a)
{
    size_t i;
    for (i = 0; i < a->n; i++) free(a->e[i].bytes);
    free(a->e);
    a->e = NULL;
    a->n = a->cap = 0;
}

void lcb_list_free(lcb_list *l)
{
    size_t i;
    for (i = 0; i < l->n; i++) lcb_array_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static lcb_elem *array_slot(lcb_array *a, const char *key)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        if (strcasecmp(a->e[i].key, key) == 0) {     /* LCB array keys ignore case */
            free(a->e[i].bytes);
            a->e[i].bytes = NULL;
            return &a->e[i];
        }
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->e = (lcb_elem *)xrealloc(a->e, a->cap * sizeof *a->e);
    }
    memset(&a->e[a->n], 0, sizeof a->e[a->n]);
    strncpy(a->e[a->n].key, key, sizeof a->e[a->n].key - 1);
    return &a->e[a->n++];
}

/* put <value> into tRecord[pKey] */
static void array_put_bytes(lcb_array *a, const char *key, const unsigned char *v, size_t n, int is_data)
{
    lcb_elem *e = array_slot(a, key);
    e->bytes = (unsigned char *)xrealloc(NULL, n + 1);
    if (n) memcpy(e->bytes, v, n);
    e->bytes[n] = 0;
    e->len = n;
    e->is_data = is_data;
    e->is_number = 0;
}

static void array_put_number(lcb_array *a, const char *key, long long v)
{
    lcb_elem *e = array_slot(a, key);
    e->bytes = (unsigned char *)xrealloc(NULL, 1);
    e->bytes[0] = 0;
    e->len = 0;
    e->is_data = 0;
    e->is_number = 1;
    e->number = v;
}

/* push tEntry onto tEntries (the list takes the array) */
static void list_push(lcb_list *l, lcb_array a)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = (lcb_array *)xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = a;
}

const lcb_elem *lcb_array_get(const lcb_array *a, const char *key)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        if (strcasecmp(a->e[i].key, key) == 0) return &a->e[i];
    return NULL;
}

int lcb_array_str_is(const lcb_array *a, const char *key, const char *s)
{
    const lcb_elem *e = lcb_array_get(a, key);
    return e != NULL && !e->is_data && !e->is_number && e->len == strlen(s) && memcmp(e->bytes, s, e->len) == 0;
}

/* ---- output blocks: _ensureBlock, _drainReady, _scratchReady ------------------------------ */

/* _ensureBlock(xBlock, xCap, pNeed): keep a block that is big enough; otherwise allocate the new
 * block first, release the old one, and remember pNeed as the capacity. */
int lcb_ensure_block(lcb_block *b, int need)
{
    unsigned char *fresh;
    if (b->cap >= need && b->cap > 0) return 1;
    fresh = (unsigned char *)malloc((size_t)need);
    if (fresh == NULL) return 0;
    memset(fresh, 0xAB, (size_t)need);         /* MCMemoryAllocate does not clear: make it visible */
    free(b->p);
    b->p = fresh;
    b->cap = need;
    b->allocations++;
    return 1;
}

/* _drainReady / _scratchReady(pNeed): at least pNeed bytes and at least the seed size. */
int lcb_block_ready(lcb_block *b, int need)
{
    if (need > b->seed) return lcb_ensure_block(b, need);
    return lcb_ensure_block(b, b->seed);
}

void lcb_block_free(lcb_block *b)
{
    free(b->p);
    b->p = NULL;
    b->cap = 0;
}

/* ---- name tables: _ensureNameTables, _fieldKey, _alertName --------------------------------- */

/* Element pId + 1 of sFieldKeys, filled exactly as _ensureNameTables fills it. */
static const char *g_field_keys[kKeyTableSize];
static const char *g_alert_names[kNamedAlertCount + 1];

static void ensure_name_tables(void)
{
    int i;
    if (g_field_keys[0] != NULL) return;
    for (i = 0; i < kKeyTableSize; i++) g_field_keys[i] = "";
    g_field_keys[1] = "name";
    g_field_keys[2] = "state";
    g_field_keys[3] = "progress";
    g_field_keys[4] = "downloadRate";
    g_field_keys[5] = "uploadRate";
    g_field_keys[6] = "totalDone";
    g_field_keys[7] = "totalWanted";
    g_field_keys[8] = "numPeers";
    g_field_keys[9] = "numSeeds";
    g_field_keys[10] = "savePath";
    g_field_keys[11] = "infoHashV1";
    g_field_keys[12] = "infoHashV2";
    g_field_keys[13] = "numPieces";
    g_field_keys[14] = "pieceLength";
    g_field_keys[15] = "totalSize";
    g_field_keys[16] = "allTimeDownload";
    g_field_keys[17] = "allTimeUpload";
    g_field_keys[18] = "numComplete";
    g_field_keys[19] = "numIncomplete";
    g_field_keys[20] = "isFinished";
    g_field_keys[21] = "isSeeding";
    g_field_keys[22] = "isPaused";
    g_field_keys[23] = "error";
    g_field_keys[24] = "eta";
    g_field_keys[25] = "addedTime";
    g_field_keys[26] = "completedTime";
    g_field_keys[27] = "numConnections";
    g_field_keys[28] = "flags";
    g_field_keys[40] = "endpoint";
    g_field_keys[41] = "client";
    g_field_keys[42] = "downRate";
    g_field_keys[43] = "upRate";
    g_field_keys[44] = "progress";
    g_field_keys[45] = "flags";
    g_field_keys[60] = "torrent";
    g_field_keys[61] = "message";
    g_field_keys[62] = "errorCode";
    g_field_keys[63] = "errorMessage";
    g_field_keys[64] = "piece";
    g_field_keys[65] = "state";
    g_field_keys[66] = "prevState";
    g_field_keys[67] = "tracker";
    g_field_keys[68] = "numPeers";
    g_field_keys[69] = "resumeData";
    g_field_keys[70] = "infoHashV1";
    g_field_keys[71] = "infoHashV2";
    g_field_keys[72] = "torrentName";
    g_field_keys[73] = "endpoint";
    g_field_keys[100] = "nodes";
    g_field_keys[101] = "nodeCache";
    g_field_keys[102] = "globalNodes";
    g_field_keys[103] = "torrents";
    g_field_keys[104] = "target";
    g_field_keys[105] = "value";
    g_field_keys[106] = "publicKey";
    g_field_keys[107] = "signature";
    g_field_keys[108] = "seq";
    g_field_keys[109] = "salt";
    g_field_keys[110] = "authoritative";
    g_field_keys[111] = "numSuccess";
    g_field_keys[112] = "secretKey";
    g_field_keys[113] = "seed";
    g_field_keys[120] = "path";
    g_field_keys[121] = "size";
    g_field_keys[122] = "progress";
    g_field_keys[123] = "priority";
    g_field_keys[130] = "url";
    g_field_keys[131] = "tier";
    g_field_keys[132] = "verified";
    g_field_keys[133] = "source";
    g_field_keys[134] = "urlSeed";

    for (i = 1; i <= kNamedAlertCount; i++) g_alert_names[i] = "torrentEvent";
    g_alert_names[1] = "torrentAdded";
    g_alert_names[2] = "metadataReceived";
    g_alert_names[3] = "pieceFinished";
    g_alert_names[4] = "torrentFinished";
    g_alert_names[5] = "torrentError";
    g_alert_names[6] = "stateChanged";
    g_alert_names[7] = "trackerReply";
    g_alert_names[8] = "trackerError";
    g_alert_names[9] = "resumeDataReady";
    g_alert_names[10] = "resumeDataFailed";
    g_alert_names[11] = "torrentRemoved";
    g_alert_names[12] = "dhtBootstrap";
    g_alert_names[13] = "listenSucceeded";
    g_alert_names[14] = "listenFailed";
    g_alert_names[15] = "torrentPaused";
    g_alert_names[16] = "torrentResumed";
    g_alert_names[17] = "fileCompleted";
    g_alert_names[18] = "fileError";
    g_alert_names[19] = "storageMoved";
    g_alert_names[20] = "fastresumeRejected";
    g_alert_names[21] = "scrapeReply";
    g_alert_names[22] = "dhtImmutableItem";
    g_alert_names[23] = "dhtMutableItem";
    g_alert_names[24] = "dhtPut";
}

/* _fieldKey: "" for ids outside the table (and ids the table leaves empty) */
const char *lcb_field_key(int id)
{
    ensure_name_tables();
    if (id < 0 || id >= kKeyTableSize) return "";
    return g_field_keys[id];
}

/* _alertName: unknown codes are "torrentEvent" */
const char *lcb_alert_name(int code)
{
    ensure_name_tables();
    if (code < 1 || code > kNamedAlertCount) return "torrentEvent";
    return g_alert_names[code];
}

/* ---- the walker ------------------------------------------------------------------------------ */

/* _u8: the code of (byte (pOffset + 1) of pBytes) */
int lcb_u8(const unsigned char *bytes, int offset)
{
    return bytes[offset];
}

/* _u16: tHigh * 256 + tLow */
int lcb_u16(const unsigned char *bytes, int offset)
{
    int high = bytes[offset];
    int low = bytes[offset + 1];
    return high * 256 + low;
}

int lcb_utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k, need;
        unsigned cp;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
        else return 0;
        if (i + need >= n) return 0;                   /* the sequence would pass the end */
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* _decodeValue: the value bytes at [pStart, pStart + pLength) as Data for raw, else as a
 * String (_bytesToString: UTF-8 decode; "" for no bytes). */
static void decode_value(lcb_array *record, const char *key, const unsigned char *bytes, int type, int start, int length)
{
    const unsigned char *slice = length <= 0 ? (const unsigned char *)"" : bytes + start;
    size_t n = length <= 0 ? 0 : (size_t)length;
    if (type == kTypeRaw) {
        array_put_bytes(record, key, slice, n, 1);
        return;
    }
    array_put_bytes(record, key, slice, n, 0);
}

/* _decodeRecord(pBytes, pStart, pLimit) */
lcb_array lcb_decode_record(const unsigned char *bytes, int start, int limit)
{
    lcb_array record = {NULL, 0, 0};
    int count, pos, id, type, length, i;
    const char *key;
    ensure_name_tables();
    if (start + 2 > limit) return record;
    count = lcb_u16(bytes, start);
    pos = start + 2;
    for (i = 0; i < count; i++) {                      /* repeat tCount times */
        if (pos + 4 > limit) break;
        id = lcb_u8(bytes, pos);
        type = lcb_u8(bytes, pos + 1);
        length = lcb_u16(bytes, pos + 2);
        if (pos + 4 + length > limit) break;
        key = lcb_field_key(id);
        if (key[0] != '\0' && type >= kTypeInt && type <= kTypeHex)
            decode_value(&record, key, bytes, type, pos + 4, length);
        pos = pos + 4 + length;
    }
    return record;
}

/* _walkList(pBytes, pLength) */
lcb_list lcb_walk_list(const unsigned char *bytes, int length)
{
    lcb_list entries = {NULL, 0, 0};
    int count, pos, body, i;
    if (length < 2) return entries;
    count = lcb_u16(bytes, 0);
    pos = 2;
    for (i = 0; i < count; i++) {
        if (pos + 2 > length) break;
        body = lcb_u16(bytes, pos);
        if (pos + 2 + body > length) break;
        list_push(&entries, lcb_decode_record(bytes, pos + 2, pos + 2 + body));
        pos = pos + 2 + body;
    }
    return entries;
}

/* _walkDrain(pBytes, pLength) */
lcb_list lcb_walk_drain(const unsigned char *bytes, int length)
{
    lcb_list events = {NULL, 0, 0};
    lcb_array event;
    int count, pos, code, body, i;
    ensure_name_tables();
    if (length < 2) return events;
    count = lcb_u16(bytes, 0);
    pos = 2;
    for (i = 0; i < count; i++) {
        if (pos + 4 > length) break;
        code = lcb_u16(bytes, pos);
        body = lcb_u16(bytes, pos + 2);
        if (pos + 4 + body > length) break;
        event = lcb_decode_record(bytes, pos + 4, pos + 4 + body);
        array_put_number(&event, "code", code);        /* put tCode into tEvent["code"] */
        {
            const char *name = lcb_alert_name(code);   /* put _alertName(tCode) into tEvent["name"] */
            array_put_bytes(&event, "name", (const unsigned char *)name, strlen(name), 0);
        }
        list_push(&events, event);
        pos = pos + 4 + body;
    }
    return events;
}
