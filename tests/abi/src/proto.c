/* SPDX-License-Identifier: MIT */
/*
 * The output-buffer protocol checks (§1.5, §3.4) applied to any getter:
 *   flat getters   write all or nothing; (NULL, cap >= need) returns +need (kept quirk);
 *   record getters write the longest prefix of whole primitives that fits, back-patch
 *                  counts that fit, treat NULL as cap 0, and return -total.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---- the field registry (§3.7) ------------------------------------------------------------ */

int field_type(unsigned id)
{
    if (id >= 1 && id <= 28) {
        switch (id) {
        case 1: case 10: case 23: return BTX_T_UTF8;
        case 3: return BTX_T_REAL;
        case 11: case 12: return BTX_T_HEX;
        default: return BTX_T_INT;
        }
    }
    switch (id) {
    case 40: case 41: return BTX_T_UTF8;
    case 42: case 43: case 45: return BTX_T_INT;
    case 44: return BTX_T_REAL;
    case 60: case 62: case 64: case 65: case 66: case 68: return BTX_T_INT;
    case 61: case 63: case 67: case 72: case 73: return BTX_T_UTF8;
    case 69: return BTX_T_RAW;
    case 70: case 71: return BTX_T_HEX;
    case 100: case 101: case 102: case 103: case 108: case 110: case 111: return BTX_T_INT;
    case 104: case 106: case 107: case 112: case 113: return BTX_T_HEX;
    case 105: return BTX_T_RAW;
    case 109: return BTX_T_UTF8;
    case 120: return BTX_T_UTF8;
    case 121: case 122: case 123: return BTX_T_INT;
    case 130: case 134: return BTX_T_UTF8;
    case 131: case 132: case 133: return BTX_T_INT;
    default: return -1;
    }
}

/* Checks a value's bytes match its type: int = -?digits without leading zeros, hex =
 * lower-case, real = %.6g characters. */
static int value_ok(const btx_field *f)
{
    size_t i;
    if (f->type == BTX_T_INT) {
        long long v = 0;
        char back[32];
        if (btx_field_ll(f, &v) != 0) return 0;
        snprintf(back, sizeof back, "%lld", v); /* canonical form: no '+', no leading zeros, no "-0" */
        return btx_field_eq(f, back);
    }
    if (f->type == BTX_T_HEX) {
        for (i = 0; i < f->len; i++)
            if (!((f->value[i] >= '0' && f->value[i] <= '9') || (f->value[i] >= 'a' && f->value[i] <= 'f')))
                return 0;
        return (f->len % 2) == 0;
    }
    if (f->type == BTX_T_REAL) {
        if (f->len == 0) return 0;
        for (i = 0; i < f->len; i++)
            if (!strchr("0123456789.e+-", f->value[i])) return 0;
    }
    return 1;
}

int valid_record(const unsigned char *buf, size_t len, const char *what)
{
    btx_rec_iter it;
    btx_field f;
    int r, ok = 1;
    if (btx_rec_init(&it, buf, len) != 0) {
        CHECK(0, "%s: record shorter than its count", what);
        return 0;
    }
    while ((r = btx_rec_next_field(&it, &f)) == 1) {
        int t = field_type(f.id);
        if (t != (int)f.type) {
            CHECK(0, "%s: field %u has type %u, registry says %d", what, f.id, f.type, t);
            ok = 0;
        } else if (!value_ok(&f)) {
            CHECK(0, "%s: field %u value \"%.*s\" is not a canonical %u", what, f.id, (int)f.len,
                  (const char *)f.value, f.type);
            ok = 0;
        }
    }
    if (r != 0 || it.pos != len) {
        CHECK(0, "%s: record of %zu bytes is not exactly its %u fields (stopped at %zu, r=%d)", what, len,
              it.count, it.pos, r);
        ok = 0;
    }
    return ok;
}

int valid_list(const unsigned char *buf, size_t len, const char *what)
{
    btx_list_iter it;
    btx_rec_iter rec;
    int r, ok = 1;
    if (btx_list_init(&it, buf, len) != 0) {
        CHECK(0, "%s: list shorter than its count", what);
        return 0;
    }
    while ((r = btx_list_next(&it, &rec)) == 1)
        if (!valid_record(rec.buf, rec.len, what)) ok = 0;
    if (r != 0 || it.pos != len) {
        CHECK(0, "%s: list of %zu bytes is not exactly its %u entries (stopped at %zu)", what, len, it.count, it.pos);
        ok = 0;
    }
    return ok;
}

/* ---- flat getters ----------------------------------------------------------------------- */

int check_flat(const char *what, out_fn fn, void *ctx, const void *expected, int expected_len,
               unsigned char **got)
{
    int m, need, r;
    gbuf g;

    if (got) *got = NULL;
    m = fn(ctx, NULL, 0);
    CHECK(m <= 0, "%s: (NULL, 0) measures: returns 0 or -need (got %d)", what, m);
    need = m < 0 ? -m : 0;
    if (expected_len >= 0)
        CHECK(need == expected_len, "%s: needs %d bytes (got %d)", what, expected_len, need);

    if (need == 0) {
        g = gb_new(16);
        r = fn(ctx, gb_ptr(&g), 16);
        CHECK(r == 0, "%s: an empty result returns 0 (got %d)", what, r);
        CHECK(gb_untouched(&g), "%s: an empty result writes nothing", what);
        gb_free(&g);
        if (got) *got = (unsigned char *)calloc(1, 1);
        return 0;
    }

    /* the NULL-pointer quirk kept for flat getters: +need when cap >= need, else -need */
    r = fn(ctx, NULL, need);
    CHECK(r == need, "%s: (NULL, need) returns +need (%d), got %d", what, need, r);
    r = fn(ctx, NULL, need + 5);
    CHECK(r == need, "%s: (NULL, need+5) returns +need (%d), got %d", what, need, r);
    r = fn(ctx, NULL, need - 1);
    CHECK(r == -need, "%s: (NULL, need-1) returns -need (%d), got %d", what, -need, r);
    r = fn(ctx, NULL, -1);
    CHECK(r == -need, "%s: (NULL, -1) returns -need, got %d", what, r);

    /* too small: -need and the buffer is untouched, including when cap is 1 byte short */
    g = gb_new(need - 1);
    r = fn(ctx, gb_ptr(&g), need - 1);
    CHECK(r == -need, "%s: cap need-1 returns -need (%d), got %d", what, -need, r);
    CHECK(gb_untouched(&g), "%s: cap need-1 writes nothing at all", what);
    gb_free(&g);

    g = gb_new(8);
    r = fn(ctx, gb_ptr(&g), 0);
    CHECK(r == -need, "%s: cap 0 returns -need, got %d", what, r);
    r = fn(ctx, gb_ptr(&g), -7);
    CHECK(r == -need, "%s: cap -7 behaves like cap 0, got %d", what, r);
    if (need > 1) {
        r = fn(ctx, gb_ptr(&g), 1);
        CHECK(r == -need, "%s: cap 1 returns -need, got %d", what, r);
    }
    CHECK(gb_untouched(&g), "%s: caps 0, -7 and 1 write nothing", what);
    gb_free(&g);

    /* exact fit */
    g = gb_new(need);
    r = fn(ctx, gb_ptr(&g), need);
    CHECK(r == need, "%s: cap need returns need (%d), got %d", what, need, r);
    CHECK(gb_guards_ok(&g), "%s: exact fit writes nothing outside [0,need)", what);
    if (expected != NULL && r == need)
        CHECK(memcmp(gb_ptr(&g), expected, (size_t)need) == 0, "%s: content (got \"%.*s\")", what,
              need > 200 ? 200 : need, (const char *)gb_ptr(&g));
    if (got) {
        *got = (unsigned char *)malloc((size_t)need + 1);
        if (*got) { memcpy(*got, gb_ptr(&g), (size_t)need); (*got)[need] = 0; }
    }
    gb_free(&g);

    /* larger buffer: exactly need bytes written, no terminator */
    g = gb_new(need + 9);
    r = fn(ctx, gb_ptr(&g), need + 9);
    CHECK(r == need, "%s: cap need+9 returns need, got %d", what, r);
    CHECK(gb_untouched_from(&g, need), "%s: nothing (not even a NUL) written after need bytes", what);
    gb_free(&g);
    return need;
}

/* ---- record getters -------------------------------------------------------------------- */

/* Primitive end offsets of a well-formed output (kind REC_SINGLE or REC_LIST). */
static int *primitive_ends(const unsigned char *full, int total, int kind, int *count)
{
    int *ends = (int *)malloc(sizeof(int) * ((size_t)total + 2));
    int n = 0;
    size_t pos = 0;
    unsigned entries = 1, e;
    if (ends == NULL) exit(3);
    if (kind == REC_LIST) {
        btx_read_u16(full, (size_t)total, 0, &entries);
        pos = 2;
        ends[n++] = 2;
    }
    for (e = 0; e < entries; e++) {
        unsigned fields = 0, fi;
        size_t rec_end = (size_t)total;
        if (kind == REC_LIST) {
            unsigned body = 0;
            if (btx_read_u16(full, (size_t)total, pos, &body) != 0) break;
            pos += 2;
            ends[n++] = (int)pos;
            rec_end = pos + body;
        }
        if (btx_read_u16(full, rec_end, pos, &fields) != 0) break;
        pos += 2;
        ends[n++] = (int)pos;
        for (fi = 0; fi < fields; fi++) {
            unsigned vlen = 0;
            if (btx_read_u16(full, rec_end, pos + 2, &vlen) != 0) break;
            ends[n++] = (int)pos + 1;
            ends[n++] = (int)pos + 2;
            ends[n++] = (int)pos + 4;
            pos += 4 + vlen;
            ends[n++] = (int)pos;
        }
    }
    *count = n;
    return ends;
}

/* Checks one partial capacity c against the full output. Returns 1 if it matched. */
static int check_partial(const char *what, out_fn fn, void *ctx, const unsigned char *full, int total,
                         const int *ends, int nends, int c, int report)
{
    gbuf g = gb_new(c);
    int r = fn(ctx, gb_ptr(&g), c), w = 0, i, ok = 1;
    for (i = 0; i < nends; i++)
        if (ends[i] <= c && ends[i] > w) w = ends[i];
    if (r != -total) ok = 0;
    if (ok && memcmp(gb_ptr(&g), full, (size_t)w) != 0) ok = 0;
    if (ok && !gb_untouched_from(&g, w)) ok = 0;
    if (!ok && report) {
        int first = -1;
        for (i = 0; i < c; i++) {
            unsigned char want = i < w ? full[i] : CANARY;
            if (gb_ptr(&g)[i] != want) { first = i; break; }
        }
        CHECK(0, "%s: cap %d of %d: expected -%d with the %d-byte prefix and nothing after it; got %d, "
                 "first wrong byte at %d%s", what, c, total, total, w, r, first,
              gb_guards_ok(&g) ? "" : " (guard bytes overwritten)");
    }
    gb_free(&g);
    return ok;
}

int check_record(const char *what, out_fn fn, void *ctx, int kind, unsigned char **got)
{
    int m, total, r, attempt;
    gbuf g;
    unsigned char *full = NULL;

    if (got) *got = NULL;
    m = fn(ctx, NULL, 0);
    CHECK(m < 0, "%s: (NULL, 0) returns -total (got %d)", what, m);
    if (m >= 0) return -1;
    total = -m;
    CHECK(total >= 2, "%s: total %d covers at least the count", what, total);

    /* NULL with a capacity must not crash and counts as capacity 0 */
    r = fn(ctx, NULL, 100);
    CHECK(r == -total, "%s: (NULL, 100) is treated as cap 0: -%d (got %d)", what, total, r);
    r = fn(ctx, NULL, total);
    CHECK(r == -total, "%s: (NULL, total) is treated as cap 0: -%d (got %d)", what, total, r);

    /* cap < 2: untouched */
    g = gb_new(1);
    r = fn(ctx, gb_ptr(&g), 1);
    CHECK(r == -total, "%s: cap 1 returns -total (got %d)", what, r);
    r = fn(ctx, gb_ptr(&g), 0);
    CHECK(r == -total, "%s: cap 0 returns -total (got %d)", what, r);
    r = fn(ctx, gb_ptr(&g), -5);
    CHECK(r == -total, "%s: cap -5 returns -total (got %d)", what, r);
    CHECK(gb_untouched(&g), "%s: caps below 2 write nothing", what);
    gb_free(&g);

    for (attempt = 0; attempt < 4; attempt++) {
        int *ends, nends, c, bad = 0, step;
        unsigned char *again;

        /* exact fit, then a larger buffer */
        g = gb_new(total);
        r = fn(ctx, gb_ptr(&g), total);
        if (r != total) {
            if (r < 0 && attempt < 3) { total = -r; gb_free(&g); continue; } /* it changed: remeasure */
            CHECK(r == total, "%s: cap total returns total %d (got %d)", what, total, r);
            gb_free(&g);
            return -1;
        }
        CHECK(gb_guards_ok(&g), "%s: exact fit writes nothing outside [0,total)", what);
        free(full);
        full = (unsigned char *)malloc((size_t)total);
        if (full == NULL) exit(3);
        memcpy(full, gb_ptr(&g), (size_t)total);
        gb_free(&g);

        g = gb_new(total + 16);
        r = fn(ctx, gb_ptr(&g), total + 16);
        CHECK(r == total, "%s: cap total+16 returns total (got %d)", what, r);
        CHECK(gb_untouched_from(&g, total), "%s: nothing written after total bytes", what);
        gb_free(&g);

        if (kind == REC_SINGLE) valid_record(full, (size_t)total, what);
        else valid_list(full, (size_t)total, what);

        /* partial capacities: every one for small outputs, a spread sample for large ones */
        ends = primitive_ends(full, total, kind, &nends);
        step = total <= 600 ? 1 : total / 300;
        for (c = 2; c < total; c += step)
            if (!check_partial(what, fn, ctx, full, total, ends, nends, c, 0)) bad++;
        if (step > 1)
            for (r = 0; r < nends; r++) {
                if (ends[r] < total && ends[r] >= 2 &&
                    !check_partial(what, fn, ctx, full, total, ends, nends, ends[r], 0)) bad++;
                if (ends[r] - 1 >= 2 && ends[r] - 1 < total &&
                    !check_partial(what, fn, ctx, full, total, ends, nends, ends[r] - 1, 0)) bad++;
            }

        /* a getter whose output moved meanwhile (a live torrent) is retried */
        r = get_alloc(fn, ctx, &again);
        if (bad > 0 && (r != total || memcmp(again, full, (size_t)total) != 0) && attempt < 3) {
            free(again);
            free(ends);
            total = r > 0 ? r : total;
            continue;
        }
        free(again);
        if (bad > 0) {
            /* report the first few precisely */
            int shown = 0;
            for (c = 2; c < total && shown < 3; c += step)
                if (!check_partial(what, fn, ctx, full, total, ends, nends, c, 1)) shown++;
        } else {
            CHECK(1, "%s: every partial capacity leaves exactly the whole-primitive prefix", what);
        }
        free(ends);
        break;
    }
    if (got) *got = full;
    else free(full);
    return total;
}
