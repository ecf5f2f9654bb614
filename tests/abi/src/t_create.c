/* SPDX-License-Identifier: MIT */
/*
 * Group "create": btx_create_torrent (§8). The payloads of the vector torrents are rebuilt
 * (sha256-ctr, vectors/payload.py's rule) and created again with the same flags and piece
 * size: the output, without its creation date, must be byte-identical to libtorrent's file,
 * and adding it over its data must give a seeding torrent with the same info-hash.
 * Also: validation texts, tracker tiers, piece-size rules and the trailing-separator fix (D8).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* ---- a minimal bencode walker (only to locate spans) ------------------------------------ */

/* End offset of the value starting at pos, or -1. */
static long benc_end(const unsigned char *b, long len, long pos, int depth)
{
    if (pos >= len || depth > 64) return -1;
    if (b[pos] == 'i') {
        const unsigned char *e = memchr(b + pos, 'e', (size_t)(len - pos));
        return e ? (long)(e - b) + 1 : -1;
    }
    if (b[pos] == 'l' || b[pos] == 'd') {
        pos++;
        while (pos < len && b[pos] != 'e') {
            pos = benc_end(b, len, pos, depth + 1);
            if (pos < 0) return -1;
        }
        return pos < len ? pos + 1 : -1;
    }
    if (b[pos] >= '0' && b[pos] <= '9') {
        long n = 0;
        while (pos < len && b[pos] >= '0' && b[pos] <= '9') n = n * 10 + (b[pos++] - '0');
        if (pos >= len || b[pos] != ':' || pos + 1 + n > len) return -1;
        return pos + 1 + n;
    }
    return -1;
}

/* Finds a top-level key in dict b: ks = key start, [vs, ve) = value span. 1 if found. */
static int benc_find(const unsigned char *b, long len, const char *key, long *ks, long *vs, long *ve)
{
    long pos = 1, klen = (long)strlen(key);
    if (len < 2 || b[0] != 'd') return 0;
    while (pos < len && b[pos] != 'e') {
        long kstart = pos, kend = benc_end(b, len, pos, 0), vend;
        const unsigned char *colon;
        if (kend < 0) return 0;
        vend = benc_end(b, len, kend, 0);
        if (vend < 0) return 0;
        colon = memchr(b + kstart, ':', (size_t)(kend - kstart));
        if (colon && kend - (colon - b + 1) == klen && memcmp(colon + 1, key, (size_t)klen) == 0) {
            *ks = kstart; *vs = kend; *ve = vend;
            return 1;
        }
        pos = vend;
    }
    return 0;
}

/* SHA-1 of the info dict as 40 hex; "" if absent. */
static void info_hash_v1(const unsigned char *t, long len, char out[41])
{
    long ks, vs, ve;
    unsigned char d[20];
    out[0] = '\0';
    if (!benc_find(t, len, "info", &ks, &vs, &ve)) return;
    sha1(t + vs, (size_t)(ve - vs), d);
    hex_of(d, 20, out);
}

/* ---- payloads ------------------------------------------------------------------------------ */

/* Writes one payload file: block(k) = SHA-256(seed || 0x00 || u64le(k)), truncated. */
static int write_payload(const char *root, const char *id, const char *path, long long size)
{
    char full[4096], seed[2048];
    unsigned char *data = (unsigned char *)malloc((size_t)size + 32), *msg;
    size_t sl;
    long long k, off;
    int rc;
    snprintf(seed, sizeof seed, "%s:%s", id, path);
    sl = strlen(seed);
    msg = (unsigned char *)malloc(sl + 9);
    memcpy(msg, seed, sl);
    msg[sl] = 0;
    for (k = 0, off = 0; off < size; k++, off += 32) {
        int i;
        for (i = 0; i < 8; i++) msg[sl + 1 + i] = (unsigned char)((uint64_t)k >> (8 * i));
        sha256(msg, sl + 9, data + off);
    }
    snprintf(full, sizeof full, "%s/%s", root, path);
    rc = write_file(full, data, (size_t)size);
    free(data);
    free(msg);
    return rc;
}

typedef struct pfile { const char *path; long long size; } pfile;
typedef struct vec {
    const char *id, *content;     /* content: the path given to btx_create_torrent, under root */
    int flags, piece;
    const char *v1, *v2;          /* expected hashes ("" if none) */
    const char *sha256_file;      /* of libtorrent's file without creation date, or NULL */
    int pieces;
    pfile files[16];
} vec;

#define U8NAME "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xac\xe3\x83\xb3\xe3\x83\x88"

static const vec k_vecs[] = {
    { "v1_single", "v1_single.bin", 64, 16384, "c37acda1891f1ecbde0e62af89ea1dd5430d1532", "",
      "f726b972ef5f63ad7cb124113956b37e8f9bca18db7ae614c07cefaa2c2b743c", 65,
      { { "v1_single.bin", 1049810 } } },
    { "hybrid_multi", "hybrid_multi", 0, 16384, "bc3d7a387b7c8401099370b4eec20618889038c9",
      "9c730b3a36e6689a45c43cfca5fae84864e5304636ea0974a6d3bc540d31f0b2",
      "794412f4c9e361cdd939a41530200964f033c72581b869a187f408f2c1a7e54f", 13,
      { { "hybrid_multi/b/z.bin", 40000 }, { "hybrid_multi/a/empty.dat", 0 }, { "hybrid_multi/A.txt", 1000 },
        { "hybrid_multi/a/x.bin", 16384 }, { "hybrid_multi/c.bin", 5 }, { "hybrid_multi/a/big.bin", 100000 } } },
    { "v2_multi", "v2_multi", 32, 32768, "", "1c10bc07c9402d4ec3c7c740fac2a3cd47a7741d05902c53401a04f03cfcb9ae",
      "82f19e1435bbb596a28adfb72ea6f661873f5c46aa26acb5bf9c6a0f3ac608c2", 8,
      { { "v2_multi/docs/readme.md", 2000 }, { "v2_multi/data/one.bin", 3 * 32768 + 7 },
        { "v2_multi/data/two.bin", 65536 }, { "v2_multi/data/empty", 0 }, { "v2_multi/tiny", 1 } } },
    { "v2_single", "v2_single.bin", 32, 16384, "", "45ab88746e0457eaa8dfb35795c06228574b0473684e47628be1cf94f18030de",
      "58b4979516df5799e6d8477ed2d4cd83430d12d72dbb14e6677c42f83fc52910", 3,
      { { "v2_single.bin", 40000 } } },
    { "utf8_names", U8NAME, 0, 16384, "fe9691526467f42c051145016206923568cf18fe",
      "79664e477d9ec49ea9913624792605af81303e6eee889f719fb05531408c63eb",
      "b20cfa52b05f767e24ac45c2b9bd49355c1eaf7cd880d36dee5343e8c76f61fb", 4,
      { { U8NAME "/\xe3\x83\x95\xe3\x82\xa1\xe3\x82\xa4\xe3\x83\xab.txt", 3000 },
        { U8NAME "/\xe3\x82\xb5\xe3\x83\x96\xe3\x83\x95\xe3\x82\xa9\xe3\x83\xab\xe3\x83\x80/"
          "\xe3\x83\x87\xe3\x83\xbc\xe3\x82\xbf.bin", 20000 },
        { U8NAME "/\xc3\xa9moji-\xf0\x9f\x8e\x89.txt", 10 } } },
    { "hybrid_notail", "hybrid_notail", 512, 16384, "f1527deaf0291ddf2e70e0e2fc8b2e87b7a61be2",
      "053666529b0dafbf84e2fd7d3fab992f2fc3c0ff018787123c543efd530d4180",
      "e2891d4751f5330a3667e26a72de4c878ab1e7ba1c16247a4e103afadcbba910", 13,
      { { "hybrid_notail/b/z.bin", 40000 }, { "hybrid_notail/a/empty.dat", 0 }, { "hybrid_notail/A.txt", 1000 },
        { "hybrid_notail/a/x.bin", 16384 }, { "hybrid_notail/c.bin", 5 }, { "hybrid_notail/a/big.bin", 100000 } } },
    { "v1_canonical", "v1_canonical", 192, 16384, "e98adfdc3db94554443f09759079ab051c5fb1cb", "",
      "8d28daaa4428988b642e4f7232712807a7f887138d7cf73e7d9b0aa8410900d7", 13,
      { { "v1_canonical/b.bin", 5000 }, { "v1_canonical/a/x.txt", 100 }, { "v1_canonical/a-b.txt", 200 },
        { "v1_canonical/a.txt", 300 }, { "v1_canonical/Z.txt", 400 }, { "v1_canonical/a b.txt", 500 },
        { "v1_canonical/ab/c.bin", 600 }, { "v1_canonical/a/b/c.bin", 700 }, { "v1_canonical/empty", 0 },
        { "v1_canonical/a/B.txt", 17000 }, { "v1_canonical/_x", 1 }, { "v1_canonical/\xc3\xa9.txt", 2 },
        { "v1_canonical/z", 3 } } },
    { "hybrid_order", "hybrid_order", 0, 16384, "0310d5ac4d148d310c04221747f4fb38b3bee548",
      "8c639e1400ba35185a3a46cbb729861922c555552eaaf2f22685f7f5137f5465",
      "a92cf87ab8dbe4f7e0d193f56f588ffecc3f588d0239d845ac48015d080221dd", 13,
      { { "hybrid_order/b.bin", 5000 }, { "hybrid_order/a/x.txt", 100 }, { "hybrid_order/a-b.txt", 200 },
        { "hybrid_order/a.txt", 300 }, { "hybrid_order/Z.txt", 400 }, { "hybrid_order/a b.txt", 500 },
        { "hybrid_order/ab/c.bin", 600 }, { "hybrid_order/a/b/c.bin", 700 }, { "hybrid_order/empty", 0 },
        { "hybrid_order/a/B.txt", 17000 }, { "hybrid_order/_x", 1 }, { "hybrid_order/\xc3\xa9.txt", 2 },
        { "hybrid_order/z", 3 } } },
    /* its .torrent has trackers, web seeds and a comment; the info dict is reproducible */
    { "trackers_webseed", "trackers_webseed.bin", 0, 16384, "4e9faaa4f0cb62c2c62c46d11052760e33a985ac",
      "cddd7910da8744bae3d53a0e9f2949b0d2d2c85df8aeec2a7a3e882c0fc5d2e0", NULL, 4,
      { { "trackers_webseed.bin", 50000 } } },
};

typedef struct create_ctx { const char *path, *trackers; int piece, flags; } create_ctx;
static int create_fn(void *ctx, void *out, int cap)
{
    create_ctx *c = (create_ctx *)ctx;
    return btx_create_torrent(c->path, c->piece, c->flags, c->trackers, out, cap);
}

/* Creates into a malloc'd buffer; returns the length (<= 0 on failure). */
static int create(const char *path, int piece, int flags, const char *trackers, unsigned char **out)
{
    create_ctx c;
    c.path = path; c.piece = piece; c.flags = flags; c.trackers = trackers;
    return get_alloc(create_fn, &c, out);
}

static int contains(const unsigned char *b, int n, const char *s)
{
    return n > 0 && memmem(b, (size_t)n, s, strlen(s)) != NULL;
}

static int bitfield_fn(void *ctx, void *out, int cap) { return btx_piece_bitfield(*(int *)ctx, out, cap); }

/* Adds t's bytes over the data in save and waits for seeding. Returns the handle or 0. */
static int add_and_seed(int s, const unsigned char *tor, int len, const char *save, const char *what)
{
    int t = btx_add_torrent_file(s, tor, len, save);
    CHECK(t > 0, "%s: the created torrent adds (%d, \"%s\")", what, t, lasterr());
    if (t <= 0) return 0;
    CHECK(wait_status_ll(t, BTX_F_STATE, BTX_STATE_SEEDING, 15000), "%s: seeding over its own data", what);
    return t;
}

static void test_vectors(int s, const char *root)
{
    size_t i;
    for (i = 0; i < sizeof k_vecs / sizeof k_vecs[0]; i++) {
        const vec *v = &k_vecs[i];
        char base[2048], content[4096], what[128], ih[41];
        unsigned char *tor = NULL;
        int n, f, t;
        create_ctx c;

        snprintf(what, sizeof what, "create(%s)", v->id);
        snprintf(base, sizeof base, "%s/%s", root, v->id);
        for (f = 0; f < 16 && v->files[f].path != NULL; f++)
            CHECK(write_payload(base, v->id, v->files[f].path, v->files[f].size) == 0, "%s: payload written", what);
        snprintf(content, sizeof content, "%s/%s", base, v->content);
        c.path = content; c.piece = v->piece; c.flags = v->flags; c.trackers = NULL;
        n = check_flat(what, create_fn, &c, NULL, -1, &tor);
        if (n <= 0 || tor == NULL) { free(tor); continue; }

        /* top level: no "created by"; a creation date close to now */
        {
            long ks, vs, ve;
            CHECK(!contains(tor, n, "10:created by"), "%s: no \"created by\"", what);
            if (benc_find(tor, n, "creation date", &ks, &vs, &ve)) {
                long long when = atoll((const char *)tor + vs + 1);
                long long now = (long long)time(NULL);
                CHECK(when > now - 300 && when < now + 300, "%s: creation date is now (%lld)", what, when);
                if (v->sha256_file != NULL) {
                    unsigned char *stripped = (unsigned char *)malloc((size_t)n);
                    unsigned char d[32];
                    char hex[65];
                    long sl = 0;
                    memcpy(stripped, tor, (size_t)ks);
                    sl = ks;
                    memcpy(stripped + sl, tor + ve, (size_t)(n - ve));
                    sl += n - ve;
                    sha256(stripped, (size_t)sl, d);
                    hex_of(d, 32, hex);
                    CHECK(strcmp(hex, v->sha256_file) == 0,
                          "%s: byte-identical to libtorrent's file once the creation date is removed", what);
                    free(stripped);
                }
            } else {
                CHECK(0, "%s: has a creation date", what);
            }
        }
        if (v->v1[0] != '\0') {
            info_hash_v1(tor, n, ih);
            CHECK(strcmp(ih, v->v1) == 0, "%s: SHA-1 of the info dict is %s (got %s)", what, v->v1, ih);
        }

        /* add it over its data: the same hash, seeding, every bit set */
        t = add_and_seed(s, tor, n, base, what);
        if (t > 0) {
            char hex[80];
            int hl = btx_info_hash_hex(t, hex, (int)sizeof hex);
            const char *want = v->v1[0] != '\0' ? v->v1 : v->v2;
            CHECK(hl > 0 && (size_t)hl == strlen(want) && memcmp(hex, want, (size_t)hl) == 0,
                  "%s: btx_info_hash_hex gives %s", what, want);
            {
                unsigned char *bits = NULL;
                int need = (v->pieces + 7) / 8, ok = 1, p;
                if (check_flat("piece_bitfield(seeding)", bitfield_fn, &t, NULL, need, &bits) == need && bits) {
                    for (p = 0; p < need * 8; p++) {
                        int set = (bits[p / 8] >> (7 - p % 8)) & 1;
                        if (set != (p < v->pieces)) ok = 0;
                    }
                    CHECK(ok, "%s: all %d bits set, trailing bits clear", what, v->pieces);
                }
                free(bits);
            }
            CHECK_INT(btx_piece_availability(t, NULL, 0), 0);  /* none while seeding */
            CHECK_OK(btx_remove(s, t, 0));
        }
        free(tor);
    }
}

static void test_seeding_status(int s, const char *root)
{
    char dir[2048], file[4096];
    unsigned char *tor = NULL, bits[4];
    int n, t;
    long long v = 0;
    char str[64];

    snprintf(dir, sizeof dir, "%s/seed3", root);
    CHECK(write_payload(dir, "seed3", "three.bin", 40000) == 0, "payload written");
    snprintf(file, sizeof file, "%s/three.bin", dir);
    n = create(file, 0, 0, NULL, &tor);
    CHECK(n > 0, "a hybrid single file is created (%d, \"%s\")", n, lasterr());
    if (n <= 0) { free(tor); return; }
    CHECK(contains(tor, n, "12:piece lengthi16384e"), "automatic piece size for 40000 bytes is 16 KiB");
    CHECK(contains(tor, n, "6:lengthi40000e") && contains(tor, n, "12:meta versioni2e"),
          "default flags give a hybrid single-file torrent (length + meta version 2)");
    CHECK(contains(tor, n, "12:piece layers"), "a file larger than one piece has piece layers");
    t = add_and_seed(s, tor, n, dir, "seed3");
    if (t > 0) {
        CHECK(btx_piece_bitfield(t, bits, 4) == 1 && bits[0] == 0xe0, "a 3-piece seed's bitfield is e0");
        CHECK(status_ll(t, BTX_F_IS_SEEDING, &v) == 0 && v == 1, "isSeeding 1");
        CHECK(status_ll(t, BTX_F_IS_FINISHED, &v) == 0 && v == 1, "isFinished 1");
        CHECK(status_str(t, BTX_F_PROGRESS, str, sizeof str) == 0 && strcmp(str, "1") == 0, "progress \"1\" (%s)", str);
        CHECK(status_ll(t, BTX_F_COMPLETED_TIME, &v) == 0 && v > 1600000000LL, "completedTime set (%lld)", v);
        CHECK(status_ll(t, BTX_F_TOTAL_DONE, &v) == 0 && v == 40000, "totalDone 40000 (%lld)", v);
        CHECK(wait_status_ll(t, BTX_F_FLAGS, 40, 5000), "flags 40 once started");
        CHECK(status_ll(t, BTX_F_ETA, &v) == 0 && v == -1, "eta -1 when nothing is wanted (%lld)", v);
        CHECK_SILENT(btx_queue_position(t), -1);   /* seeding: not queued */
        {
            /* remove with deleteFiles: the data goes away */
            long long end;
            struct stat st;
            CHECK_OK(btx_remove(s, t, 1));
            end = now_ms() + 5000;
            while (stat(file, &st) == 0 && now_ms() < end) sleep_ms(25);
            CHECK(stat(file, &st) != 0, "btx_remove(deleteFiles=1) deletes the data");
        }
    }
    free(tor);
}

static void test_trackers_and_sizes(const char *root)
{
    char dir[2048], f[4096], slash[4096], ih1[41], ih2[41];
    unsigned char *tor = NULL, *tor2 = NULL;
    int n, n2;

    snprintf(dir, sizeof dir, "%s/small", root);
    write_payload(dir, "small", "one.bin", 20000);
    write_payload(dir, "small", "sub/two.bin", 100);

    n = create(dir, 0, 0, " udp://t1/ann \n\n\t\nhttp://t2/ann\r\n", &tor);
    CHECK(n > 0, "created with two trackers");
    CHECK(contains(tor, n, "8:announce12:udp://t1/ann"), "announce is the first tracker, trimmed");
    CHECK(contains(tor, n, "13:announce-listll12:udp://t1/annel13:http://t2/annee"), "one tier per line");
    free(tor);
    n = create(dir, 0, 0, "udp://a/x\nudp://a/x\nhttp://c/x", &tor);
    CHECK(contains(tor, n, "13:announce-listll9:udp://a/xel10:http://c/xee"), "a duplicate tracker is dropped");
    free(tor);
    n = create(dir, 0, 0, "http://only/a", &tor);
    CHECK(contains(tor, n, "8:announce13:http://only/a") && !contains(tor, n, "announce-list"),
          "one tracker: announce only, no announce-list");
    free(tor);
    n = create(dir, 0, 0, "", &tor);
    CHECK(n > 0 && !contains(tor, n, "8:announce"), "no trackers: trackerless");
    free(tor);

    /* multi-file: the name is the directory, paths start below it, tail padding on the last file */
    n = create(dir, 0, 0, NULL, &tor);
    CHECK(contains(tor, n, "4:name5:small"), "the torrent name is the content's last component");
    CHECK(contains(tor, n, "4:attr1:p"), "hybrid multi-file torrents carry pad files (attr p)");
    info_hash_v1(tor, n, ih1);

    /* D8: a trailing separator is stripped, so the result is the same torrent */
    snprintf(slash, sizeof slash, "%s/", dir);
    n2 = create(slash, 0, 0, NULL, &tor2);
    CHECK(n2 > 0, "D8: a directory with a trailing separator works (%d, \"%s\")", n2, lasterr());
    info_hash_v1(tor2, n2, ih2);
    CHECK(n2 > 0 && strcmp(ih1, ih2) == 0, "D8: same info dict with and without the trailing separator");
    free(tor);
    free(tor2);

    /* piece sizes */
    snprintf(f, sizeof f, "%s/one.bin", dir);
    n = create(f, 1000, 0, NULL, &tor);       /* below 16 KiB: raised */
    CHECK(contains(tor, n, "12:piece lengthi16384e"), "piece size 1000 is raised to 16 KiB");
    free(tor);
    n = create(f, -5, 0, NULL, &tor);
    CHECK(contains(tor, n, "12:piece lengthi16384e"), "a negative piece size is raised to 16 KiB");
    free(tor);
    n = create(f, 32768, 0, NULL, &tor);
    CHECK(contains(tor, n, "12:piece lengthi32768e"), "piece size 32 KiB kept");
    free(tor);
    n = create(f, 49152, BTX_CF_V1_ONLY, NULL, &tor);
    CHECK(contains(tor, n, "12:piece lengthi49152e") && !contains(tor, n, "meta version"),
          "v1-only accepts a multiple of 16 KiB and has no v2 keys");
    free(tor);
    n = create(f, 8192, BTX_CF_V1_ONLY, NULL, &tor);
    CHECK(contains(tor, n, "12:piece lengthi8192e"), "v1-only accepts a power of two below 16 KiB");
    free(tor);
    n = create(f, 0, BTX_CF_V2_ONLY, NULL, &tor);
    CHECK(n > 0 && !contains(tor, n, "6:pieces") && contains(tor, n, "9:file tree"), "v2-only has no pieces");
    free(tor);
    {
        gbuf g = gb_new(64);
        CHECK_FAIL(btx_create_torrent(f, 49152, 0, NULL, gb_ptr(&g), 64), 0, "libtorrent exception: invalid piece size");
        CHECK_FAIL(btx_create_torrent(f, 12345, BTX_CF_V1_ONLY, NULL, gb_ptr(&g), 64), 0,
                   "libtorrent exception: invalid piece size");
        CHECK_FAIL(btx_create_torrent(f, 0, BTX_CF_V1_ONLY | BTX_CF_V2_ONLY, NULL, gb_ptr(&g), 64), 0,
                   "libtorrent exception: missing or invalid 'hash' entry");
        CHECK_FAIL(btx_create_torrent(f, 0, -1, NULL, gb_ptr(&g), 64), 0,
                   "libtorrent exception: missing or invalid 'hash' entry");
        CHECK(gb_untouched(&g), "failed creates write nothing");
        gb_free(&g);
    }
}

static void test_validation(const char *root)
{
    char missing[4096], empty[4096], zeros[4096], zf[4096];
    gbuf g = gb_new(64);
    snprintf(missing, sizeof missing, "%s/does-not-exist", root);
    snprintf(empty, sizeof empty, "%s/emptydir", root);
    snprintf(zeros, sizeof zeros, "%s/zerofiles", root);
    snprintf(zf, sizeof zf, "%s/zerofiles/z.bin", root);
    mkdirs(empty);
    write_file(zf, "", 0);
    CHECK_FAIL(btx_create_torrent(NULL, 0, 0, NULL, gb_ptr(&g), 64), 0, "empty content path");
    CHECK_FAIL(btx_create_torrent("", 0, 0, NULL, gb_ptr(&g), 64), 0, "empty content path");
    CHECK_FAIL(btx_create_torrent(NULL, 0, 0, NULL, NULL, 0), 0, "empty content path");
    CHECK_FAIL(btx_create_torrent(missing, 0, 0, NULL, gb_ptr(&g), 64), 0, "no files at content path");
    CHECK_FAIL(btx_create_torrent(empty, 0, 0, NULL, gb_ptr(&g), 64), 0, "no files at content path");
    CHECK_FAIL_PREFIX(btx_create_torrent(zeros, 0, 0, NULL, gb_ptr(&g), 64), 0, "hashing failed: ");
    CHECK(gb_untouched(&g), "failed creates write nothing");
    gb_free(&g);
}

void group_create(void)
{
    char *root = make_tmpdir("create");
    int s;
    test_validation(root);      /* needs no session */
    test_trackers_and_sizes(root);
    s = open_quiet_session();
    if (s > 0) {
        test_vectors(s, root);
        test_seeding_status(s, root);
        btx_session_free(s);
    }
    rm_rf(root);
    free(root);
}
