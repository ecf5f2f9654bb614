/* SPDX-License-Identifier: MIT */
/*
 * lcbwalk.h -- a C transliteration of lcb/torrent.lcb's output blocks and record walker, for
 * tests/lcb/replay.c. Every function here mirrors one LCB handler, line for line and byte
 * offset for byte offset, so the replay sees exactly what the binding would produce:
 *
 *   lcb_ensure_block  _ensureBlock     grow (never shrink) an output block; keep the bigger one
 *   lcb_block_ready   _drainReady / _scratchReady   at least max(need, seed) bytes
 *   lcb_u8, lcb_u16   _u8, _u16        0-based offsets into the copied bytes
 *   lcb_decode_record _decodeRecord    kvrecord at offset start, bounded by limit
 *   lcb_walk_list     _walkList        n:u16 then n x (bodyLen:u16, kvrecord)
 *   lcb_walk_drain    _walkDrain       n:u16 then n x (alertType:u16, bodyLen:u16, kvrecord)
 *   lcb_field_key     _fieldKey        the table filled by _ensureNameTables
 *   lcb_alert_name    _alertName
 *
 * It deliberately does NOT include btx_record.h: its constants are the binding's own (kField*,
 * kType*, kAlert*), so the replay can cross-check them against btx_record.h's reader.
 */
#ifndef LCBWALK_H
#define LCBWALK_H

#include <stddef.h>

/* ---- LCB values: an Array is a case-insensitive map (later puts overwrite); a List is a
 * sequence of Arrays. A value is either a String (UTF-8 bytes here) or Data. ---------------- */

typedef struct lcb_elem {
    char key[40];
    int is_data;            /* 1: Data (wire type raw); 0: String */
    unsigned char *bytes;   /* NUL-terminated for convenience; len excludes it */
    size_t len;
    long long number;       /* for "code": the Integer the walker stores */
    int is_number;
} lcb_elem;

typedef struct lcb_array {
    lcb_elem *e;
    size_t n, cap;
} lcb_array;

typedef struct lcb_list {
    lcb_array *items;
    size_t n, cap;
} lcb_list;

void lcb_array_free(lcb_array *a);
void lcb_list_free(lcb_list *l);
/* The element for key (case-insensitive, as LCB array keys), or NULL. */
const lcb_elem *lcb_array_get(const lcb_array *a, const char *key);
/* 1 if the element exists, is a String, and equals s. */
int lcb_array_str_is(const lcb_array *a, const char *key, const char *s);

/* ---- output blocks ----------------------------------------------------------------------- */

typedef struct lcb_block {
    unsigned char *p;
    int cap;                /* 0: not allocated yet */
    int seed;               /* kDrainBlockSeed / kScratchBlockSeed (the replay varies it) */
    int allocations;        /* how many times the block was (re)allocated */
} lcb_block;

int lcb_ensure_block(lcb_block *b, int need);
int lcb_block_ready(lcb_block *b, int need);
void lcb_block_free(lcb_block *b);

/* ---- the walker ---------------------------------------------------------------------------- */

int lcb_u8(const unsigned char *bytes, int offset);
int lcb_u16(const unsigned char *bytes, int offset);
const char *lcb_field_key(int id);
const char *lcb_alert_name(int code);
/* 1 if UTF-8 decoding would succeed (MCStringDecode with kEncodingUtf8). */
int lcb_utf8_ok(const unsigned char *s, size_t n);

lcb_array lcb_decode_record(const unsigned char *bytes, int start, int limit);
lcb_list lcb_walk_list(const unsigned char *bytes, int length);
lcb_list lcb_walk_drain(const unsigned char *bytes, int length);

/* The binding's constants, transliterated from torrent.lcb (checked against btx_record.h by
 * the replay and by lcb/check.py). */
enum {
    kTypeInt = 0, kTypeReal = 1, kTypeUtf8 = 2, kTypeRaw = 3, kTypeHex = 4,
    kKeyTableSize = 135,
    kNamedAlertCount = 24,
    kDrainBlockSeed = 65536,
    kScratchBlockSeed = 8192
};

#endif /* LCBWALK_H */
