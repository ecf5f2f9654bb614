/* SPDX-License-Identifier: MIT */
/*
 * Group "inspect": btx_torrent_status (field order and count, §4.8), btx_info_hash_hex,
 * btx_piece_bitfield, btx_piece_availability, btx_peer_list and btx_file_list (pad files),
 * each through the flat or record protocol checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static int status_fn(void *ctx, void *out, int cap) { return btx_torrent_status(*(int *)ctx, out, cap); }
static int hash_fn(void *ctx, void *out, int cap) { return btx_info_hash_hex(*(int *)ctx, (char *)out, cap); }
static int bitfield_fn(void *ctx, void *out, int cap) { return btx_piece_bitfield(*(int *)ctx, out, cap); }
static int avail_fn(void *ctx, void *out, int cap) { return btx_piece_availability(*(int *)ctx, out, cap); }
static int peers_fn(void *ctx, void *out, int cap) { return btx_peer_list(*(int *)ctx, out, cap); }
static int files_fn(void *ctx, void *out, int cap) { return btx_file_list(*(int *)ctx, out, cap); }

/* The status field ids in order for a torrent with these properties (§4.8). */
static int expected_status_ids(int v1, int v2, int meta, unsigned *ids)
{
    int n = 0;
    unsigned i;
    for (i = 1; i <= 10; i++) ids[n++] = i;
    if (v1) ids[n++] = 11;
    if (v2) ids[n++] = 12;
    for (i = 16; i <= 28; i++) ids[n++] = i;
    if (meta) { ids[n++] = 13; ids[n++] = 14; ids[n++] = 15; }
    return n;
}

/* Checks the status record's field order, count and a few values. */
static void check_status_shape(const char *what, int t, int v1, int v2, int meta)
{
    unsigned want[32], i = 0;
    int n = expected_status_ids(v1, v2, meta, want);
    unsigned char *full = NULL;
    int total = check_record(what, status_fn, &t, REC_SINGLE, &full);
    btx_rec_iter it;
    btx_field f;
    int order_ok = 1;
    if (total <= 0 || full == NULL) { free(full); return; }
    btx_rec_init(&it, full, (size_t)total);
    CHECK((int)it.count == n, "%s: %d fields (got %u)", what, n, it.count);
    while (btx_rec_next_field(&it, &f) == 1) {
        if (i >= (unsigned)n || f.id != want[i]) order_ok = 0;
        i++;
    }
    CHECK(order_ok, "%s: fields in the order of §4.8", what);
    free(full);
}

#define CHECK_STATUS_LL(t, id, want) do { long long v_ = -12345; int r_ = status_ll((t), (id), &v_); \
        t_check(r_ == 0 && v_ == (long long)(want), __FILE__, __LINE__, "status field %d: expected %lld, got %lld", \
                (int)(id), (long long)(want), v_); } while (0)
#define CHECK_STATUS_STR(t, id, want) do { char v_[4096]; int r_ = status_str((t), (id), v_, sizeof v_); \
        t_check(r_ == 0 && strcmp(v_, (want)) == 0, __FILE__, __LINE__, "status field %d: expected \"%s\", got \"%s\"", \
                (int)(id), (want), v_); } while (0)

static void test_magnet_status(int s, const char *dir)
{
    int t = btx_add_magnet(s, "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=mag", dir);
    int t2, t3;
    unsigned char buf[64];
    gbuf g;
    CHECK(t > 0, "v1 magnet added (%d)", t);
    /* the contract's observation for a new v1 magnet: 24 fields, state 2, paused, flags 56 until
     * the queue manager starts it "shortly afterwards" (§4.5) -- which may already have happened
     * when the first status is read, so 56 or 40 then, with isPaused matching in the same record;
     * and 40 (not paused) within a bounded wait */
    {
        unsigned char *st = NULL;
        int n = status_of(t, &st);
        long long fl = -1, pa = -1, state = -1;
        CHECK(n > 0 && btx_rec_get_ll(st, (size_t)n, BTX_F_FLAGS, &fl) == 0 &&
              btx_rec_get_ll(st, (size_t)n, BTX_F_IS_PAUSED, &pa) == 0 &&
              btx_rec_get_ll(st, (size_t)n, BTX_F_STATE, &state) == 0, "status of a new magnet is readable");
        CHECK(fl == 56 || fl == 40, "a default add reads F_FLAGS 56 (queued) or 40 (already started) (got %lld)", fl);
        CHECK(pa == ((fl & BTX_TF_PAUSED) ? 1 : 0), "isPaused %lld agrees with F_FLAGS %lld in the same record", pa, fl);
        CHECK(state == BTX_STATE_DOWNLOADING_METADATA, "state 2 (got %lld)", state);
        free(st);
    }
    CHECK(wait_status_ll(t, BTX_F_FLAGS, 40, 5000), "the queue manager starts a default add (flags 40)");
    CHECK_STATUS_LL(t, BTX_F_IS_PAUSED, 0);
    CHECK_STATUS_LL(t, BTX_F_STATE, BTX_STATE_DOWNLOADING_METADATA);
    CHECK_OK(btx_set_torrent_flags(t, "16", "48"));  /* freeze it: paused, not auto-managed */
    check_status_shape("status(v1 magnet)", t, 1, 0, 0);
    CHECK_STATUS_STR(t, BTX_F_NAME, "mag");
    CHECK_STATUS_STR(t, BTX_F_SAVE_PATH, dir);
    CHECK_STATUS_STR(t, BTX_F_INFO_HASH_V1, "c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    CHECK_STATUS_STR(t, BTX_F_PROGRESS, "0");
    CHECK_STATUS_STR(t, BTX_F_ERROR, "");
    CHECK_STATUS_LL(t, BTX_F_TOTAL_DONE, 0);
    CHECK_STATUS_LL(t, BTX_F_ETA, -1);
    CHECK_STATUS_LL(t, BTX_F_COMPLETED_TIME, 0);
    CHECK_STATUS_LL(t, BTX_F_NUM_COMPLETE, -1);
    CHECK_STATUS_LL(t, BTX_F_NUM_INCOMPLETE, -1);
    CHECK_STATUS_LL(t, BTX_F_IS_SEEDING, 0);
    CHECK_STATUS_LL(t, BTX_F_NUM_PEERS, 0);
    CHECK_STATUS_LL(t, BTX_F_FLAGS, 24);
    {
        long long added = 0;
        CHECK(status_ll(t, BTX_F_ADDED_TIME, &added) == 0 && added > 1600000000LL, "addedTime is Unix time (%lld)", added);
    }
    /* no metadata: empty file list (00 00 = 2), no bitfield, no availability */
    g = gb_new(16);
    CHECK_INT(btx_file_list(t, gb_ptr(&g), 16), 2);
    CHECK(gb_ptr(&g)[0] == 0 && gb_ptr(&g)[1] == 0 && gb_untouched_from(&g, 2), "empty list is exactly 00 00");
    gb_free(&g);
    check_record("file_list(magnet)", files_fn, &t, REC_LIST, NULL);
    check_flat("piece_bitfield(magnet)", bitfield_fn, &t, NULL, 0, NULL);
    check_flat("piece_availability(magnet)", avail_fn, &t, NULL, 0, NULL);
    check_record("peer_list(no peers)", peers_fn, &t, REC_LIST, NULL);
    CHECK_INT(btx_peer_list(t, buf, (int)sizeof buf), 2);
    check_flat("info_hash_hex(v1 magnet)", hash_fn, &t, "c12fe1c06bba254a9dc9f519b335aa7c1367a88a", 40, NULL);

    /* a btmh magnet: v2 only (23 + 1 fields), the 64-hex hash */
    t2 = btx_add_magnet_ex(s, "magnet:?xt=urn:btmh:1220caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e",
                           dir, "16", "48");
    CHECK(t2 > 0, "btmh magnet added (%d)", t2);
    check_status_shape("status(v2 magnet)", t2, 0, 1, 0);
    check_flat("info_hash_hex(v2 magnet)", hash_fn, &t2,
               "caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e", 64, NULL);
    /* a hybrid magnet: both hashes; info_hash_hex prefers v1 */
    t3 = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:c22fe1c06bba254a9dc9f519b335aa7c1367a88a&xt=urn:btmh:1220"
                           "daf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e&dn=hybrid%20name",
                           dir, "16", "48");
    CHECK(t3 > 0, "hybrid magnet added (%d)", t3);
    check_status_shape("status(hybrid magnet)", t3, 1, 1, 0);
    CHECK_STATUS_STR(t3, BTX_F_NAME, "hybrid name");
    CHECK_STATUS_STR(t3, BTX_F_INFO_HASH_V2, "daf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e");
    check_flat("info_hash_hex(hybrid magnet)", hash_fn, &t3, "c22fe1c06bba254a9dc9f519b335aa7c1367a88a", 40, NULL);
    CHECK_OK(btx_remove(s, t, 0));
    CHECK_OK(btx_remove(s, t2, 0));
    CHECK_OK(btx_remove(s, t3, 0));
}

typedef struct vec_file { const char *path; long long size; } vec_file;

/* Checks the file list against the manifest's files (libtorrent's order, pads included). */
static void check_files(const char *what, int t, const vec_file *files, int n)
{
    unsigned char *full = NULL;
    int total = check_record(what, files_fn, &t, REC_LIST, &full), i = 0;
    btx_list_iter it;
    btx_rec_iter rec;
    if (total <= 0 || full == NULL) { free(full); return; }
    btx_list_init(&it, full, (size_t)total);
    CHECK((int)it.count == n, "%s: %d entries (got %u)", what, n, it.count);
    while (btx_list_next(&it, &rec) == 1 && i < n) {
        btx_field f;
        unsigned want = BTX_F_FILE_PATH;
        int order_ok = rec.count == 4;
        long long v = -1;
        char path[1024];
        while (btx_rec_next_field(&rec, &f) == 1) { if (f.id != want) order_ok = 0; want++; }
        CHECK(order_ok, "%s: entry %d has fields 120, 121, 122, 123", what, i);
        btx_rec_get_str(rec.buf, rec.len, BTX_F_FILE_PATH, path, sizeof path);
        CHECK(strcmp(path, files[i].path) == 0, "%s: file %d path \"%s\" (got \"%s\")", what, i, files[i].path, path);
        CHECK(btx_rec_get_ll(rec.buf, rec.len, BTX_F_FILE_SIZE, &v) == 0 && v == files[i].size,
              "%s: file %d size %lld (got %lld)", what, i, files[i].size, v);
        CHECK(btx_rec_get_ll(rec.buf, rec.len, BTX_F_FILE_PROGRESS, &v) == 0 && v == 0, "%s: file %d progress 0", what, i);
        CHECK(btx_rec_get_ll(rec.buf, rec.len, BTX_F_FILE_PRIORITY, &v) == 0 && v == 4,
              "%s: file %d priority 4 (got %lld)", what, i, v);
        i++;
    }
    free(full);
}

static const vec_file k_hybrid_multi[] = {
    { "hybrid_multi/A.txt", 1000 }, { "hybrid_multi/.pad/15384", 15384 },
    { "hybrid_multi/a/big.bin", 100000 }, { "hybrid_multi/.pad/14688", 14688 },
    { "hybrid_multi/a/empty.dat", 0 }, { "hybrid_multi/a/x.bin", 16384 },
    { "hybrid_multi/b/z.bin", 40000 }, { "hybrid_multi/.pad/9152", 9152 },
    { "hybrid_multi/c.bin", 5 }, { "hybrid_multi/.pad/16379", 16379 } };
static const vec_file k_v2_single[] = { { "v2_single.bin", 40000 }, { "v2_single.bin/.pad/9152", 9152 } };
static const vec_file k_v1_single[] = { { "v1_single.bin", 1049810 } };
static const vec_file k_utf8[] = {
    { "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xac\xe3\x83\xb3\xe3\x83\x88/"
      "\xc3\xa9moji-\xf0\x9f\x8e\x89.txt", 10 },
    { "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xac\xe3\x83\xb3\xe3\x83\x88/.pad/16374", 16374 },
    { "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xac\xe3\x83\xb3\xe3\x83\x88/"
      "\xe3\x82\xb5\xe3\x83\x96\xe3\x83\x95\xe3\x82\xa9\xe3\x83\xab\xe3\x83\x80/"
      "\xe3\x83\x87\xe3\x83\xbc\xe3\x82\xbf.bin", 20000 },
    { "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xac\xe3\x83\xb3\xe3\x83\x88/.pad/12768", 12768 },
    { "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xac\xe3\x83\xb3\xe3\x83\x88/"
      "\xe3\x83\x95\xe3\x82\xa1\xe3\x82\xa4\xe3\x83\xab.txt", 3000 },
    { "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xac\xe3\x83\xb3\xe3\x83\x88/.pad/13384", 13384 } };

/* Adds a vector torrent paused, not auto-managed. */
static int add_vector(int s, const char *file, const char *dir)
{
    int len = 0, t = 0;
    unsigned char *tor = read_vector(file, &len);
    if (tor == NULL) return 0;
    t = btx_add_torrent_file_ex(s, tor, len, dir, "16", "48");
    CHECK(t > 0, "%s added (%d, \"%s\")", file, t, lasterr());
    free(tor);
    return t;
}

/* Waits until the bitfield is available, then checks it is all zero with need bytes. */
static void check_empty_bitfield(const char *what, int t, int pieces)
{
    long long end = now_ms() + 5000;
    int need = (pieces + 7) / 8;
    unsigned char *got = NULL;
    while (btx_piece_bitfield(t, NULL, 0) == 0 && now_ms() < end) sleep_ms(20);
    if (check_flat(what, bitfield_fn, &t, NULL, need, &got) == need && got != NULL) {
        int i, zero = 1;
        for (i = 0; i < need; i++) if (got[i] != 0) zero = 0;
        CHECK(zero, "%s: nothing downloaded, every bit 0 (zero-filled)", what);
    }
    free(got);
}

static void test_metadata_status(int s, const char *dir)
{
    int t;

    t = add_vector(s, "torrents/hybrid_multi.torrent", dir);
    if (t > 0) {
        check_status_shape("status(hybrid_multi)", t, 1, 1, 1);
        CHECK_STATUS_STR(t, BTX_F_NAME, "hybrid_multi");
        CHECK_STATUS_STR(t, BTX_F_INFO_HASH_V1, "bc3d7a387b7c8401099370b4eec20618889038c9");
        CHECK_STATUS_STR(t, BTX_F_INFO_HASH_V2, "9c730b3a36e6689a45c43cfca5fae84864e5304636ea0974a6d3bc540d31f0b2");
        CHECK_STATUS_LL(t, BTX_F_NUM_PIECES, 13);
        CHECK_STATUS_LL(t, BTX_F_PIECE_LENGTH, 16384);
        CHECK_STATUS_LL(t, BTX_F_TOTAL_SIZE, 212992);  /* pad files included */
        CHECK_STATUS_LL(t, BTX_F_FLAGS, 24);
        CHECK_STATUS_LL(t, BTX_F_IS_PAUSED, 1);
        check_flat("info_hash_hex(hybrid)", hash_fn, &t, "bc3d7a387b7c8401099370b4eec20618889038c9", 40, NULL);
        check_files("file_list(hybrid_multi)", t, k_hybrid_multi, 10);
        check_empty_bitfield("piece_bitfield(hybrid_multi)", t, 13);
        {
            unsigned char *got = NULL;
            int i, zero = 1;
            if (check_flat("piece_availability(hybrid_multi)", avail_fn, &t, NULL, 13, &got) == 13 && got) {
                for (i = 0; i < 13; i++) if (got[i] != 0) zero = 0;
                CHECK(zero, "availability without peers is all 0");
            }
            free(got);
        }
        CHECK_OK(btx_remove(s, t, 0));
    }

    t = add_vector(s, "torrents/v2_single.torrent", dir);
    if (t > 0) {
        check_status_shape("status(v2_single)", t, 0, 1, 1);
        CHECK_STATUS_LL(t, BTX_F_TOTAL_SIZE, 49152);
        CHECK_STATUS_LL(t, BTX_F_NUM_PIECES, 3);
        check_flat("info_hash_hex(v2_single)", hash_fn, &t,
                   "45ab88746e0457eaa8dfb35795c06228574b0473684e47628be1cf94f18030de", 64, NULL);
        check_files("file_list(v2_single)", t, k_v2_single, 2);
        CHECK_OK(btx_remove(s, t, 0));
    }

    t = add_vector(s, "torrents/v1_single.torrent", dir);
    if (t > 0) {
        check_status_shape("status(v1_single)", t, 1, 0, 1);
        CHECK_STATUS_LL(t, BTX_F_NUM_PIECES, 65);
        CHECK_STATUS_LL(t, BTX_F_TOTAL_SIZE, 1049810);
        CHECK_STATUS_LL(t, BTX_F_TOTAL_WANTED, 1049810);
        check_files("file_list(v1_single)", t, k_v1_single, 1);
        check_empty_bitfield("piece_bitfield(v1_single)", t, 65);
        CHECK_OK(btx_remove(s, t, 0));
    }

    t = add_vector(s, "torrents/utf8_names.torrent", dir);
    if (t > 0) {
        CHECK_STATUS_STR(t, BTX_F_NAME, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xac\xe3\x83\xb3\xe3\x83\x88");
        check_files("file_list(utf8_names)", t, k_utf8, 6);
        CHECK_OK(btx_remove(s, t, 0));
    }
}

void group_inspect(void)
{
    char *dir = make_tmpdir("inspect");
    int s = open_quiet_session();
    if (s > 0) {
        test_magnet_status(s, dir);
        test_metadata_status(s, dir);
        btx_session_free(s);
    }
    rm_rf(dir);
    free(dir);
}
