/* SPDX-License-Identifier: MIT */
/*
 * Group "add": the five add functions (§4.5) with their validation texts, duplicate adds
 * (D2: the existing handle, no error), the _ex flag rule, resume blobs (D7), and btx_remove
 * (stale at once; torrentRemoved carries the removed handle and both hashes, D4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "pending.h"

#define H_V1 "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
#define HM_V1 "bc3d7a387b7c8401099370b4eec20618889038c9"
#define HM_V2 "9c730b3a36e6689a45c43cfca5fae84864e5304636ea0974a6d3bc540d31f0b2"

static void test_magnet_validation(int s)
{
    CHECK_FAIL(btx_add_magnet(0, "magnet:?xt=urn:btih:" H_V1, NULL), 0, "no live session");
    CHECK_FAIL(btx_add_magnet(s + 65536, NULL, NULL), 0, "no live session");
    CHECK_FAIL(btx_add_magnet_ex(0, "magnet:?xt=urn:btih:" H_V1, NULL, "0", "0"), 0, "no live session");
    CHECK_FAIL(btx_add_magnet(s, NULL, NULL), 0, "empty magnet URI");
    CHECK_FAIL(btx_add_magnet(s, "", "/tmp"), 0, "empty magnet URI");
    CHECK_FAIL(btx_add_magnet_ex(s, NULL, NULL, "16", "48"), 0, "empty magnet URI");
    CHECK_FAIL(btx_add_magnet(s, "http://example.com/file.torrent", NULL), 0,
               "bad magnet URI: unsupported URL protocol");
    CHECK_FAIL(btx_add_magnet(s, "MAGNET:?XT=urn:btih:" H_V1, NULL), 0, "bad magnet URI: unsupported URL protocol");
    CHECK_FAIL(btx_add_magnet(s, "magnet:?dn=nothing&tr=http://t.example/a", NULL), 0,
               "bad magnet URI: missing info-hash from URI");
    CHECK_FAIL(btx_add_magnet(s, "magnet:?xt=urn:sha1:" H_V1, NULL), 0, "bad magnet URI: missing info-hash from URI");
    CHECK_FAIL(btx_add_magnet(s, "magnet:?xt=urn:btih:abc", NULL), 0, "bad magnet URI: invalid info-hash");
    CHECK_FAIL(btx_add_magnet_ex(s, "magnet:?xt=urn:btih:abc", NULL, "16", "48"), 0,
               "bad magnet URI: invalid info-hash");
    CHECK_INT(btx_torrent_count(s), 0);
}

static void test_torrent_validation(int s)
{
    static const char garbage[] = "xyz";
    CHECK_FAIL(btx_add_torrent_file(0, garbage, 3, NULL), 0, "no live session");
    CHECK_FAIL(btx_add_torrent_file(s + 65536, NULL, 0, NULL), 0, "no live session");
    CHECK_FAIL(btx_add_torrent_file_ex(0, garbage, 3, NULL, NULL, NULL), 0, "no live session");
    CHECK_FAIL(btx_add_torrent_file(s, NULL, 10, NULL), 0, "empty .torrent buffer");
    CHECK_FAIL(btx_add_torrent_file(s, garbage, 0, NULL), 0, "empty .torrent buffer");
    CHECK_FAIL(btx_add_torrent_file(s, garbage, -1, NULL), 0, "empty .torrent buffer");
    CHECK_FAIL(btx_add_torrent_file_ex(s, NULL, 0, NULL, "16", "48"), 0, "empty .torrent buffer");
    CHECK_FAIL(btx_add_torrent_file(s, garbage, 3, NULL), 0,
               "invalid .torrent: expected value (list, dict, int or string) in bencoded string");
    CHECK_FAIL(btx_add_torrent_file(s, "de", 2, NULL), 0,
               "invalid .torrent: missing or invalid 'info' section in torrent file");
    CHECK_FAIL(btx_add_torrent_file_ex(s, "de", 2, NULL, "16", "48"), 0,
               "invalid .torrent: missing or invalid 'info' section in torrent file");
    {
        /* rejected vectors, with libtorrent's messages (bad-torrents/manifest.json) */
        static const struct { const char *file, *msg; } bad[] = {
            { "bad-torrents/01-truncated.torrent", "unexpected end of file in bencoded string" },
            { "bad-torrents/03-top-level-not-dict.torrent", "torrent file is not a dictionary" },
            { "bad-torrents/04-missing-info.torrent", "missing or invalid 'info' section in torrent file" },
            { "bad-torrents/09-piece-length-zero.torrent", "invalid or missing 'piece length' entry in torrent file" },
            { "bad-torrents/14-pieces-not-multiple-of-20.torrent", "incorrect number of piece hashes in torrent file" },
            { "bad-torrents/16-negative-file-length.torrent", "invalid length of torrent" },
            { "bad-torrents/17-integer-overflow-bencode.torrent", "integer overflow" },
            { "bad-torrents/19-deep-nesting.torrent", "bencoded nesting depth exceeded" },
        };
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            int len = 0;
            unsigned char *b = read_vector(bad[i].file, &len);
            char want[256];
            if (b == NULL) continue;
            snprintf(want, sizeof want, "invalid .torrent: %s", bad[i].msg);
            btx_clear_error();
            CHECK_INT(btx_add_torrent_file(s, b, len, NULL), 0);
            CHECK(strcmp(lasterr(), want) == 0, "%s: expected \"%s\", got \"%s\"", bad[i].file, want, lasterr());
            free(b);
        }
    }
    CHECK_INT(btx_torrent_count(s), 0);
}

static void test_resume_validation(int s)
{
    CHECK_FAIL(btx_add_with_resume(0, "de", 2, NULL), 0, "no live session");
    CHECK_FAIL(btx_add_with_resume(s, NULL, 5, NULL), 0, "empty resume buffer");
    CHECK_FAIL(btx_add_with_resume(s, "de", 0, NULL), 0, "empty resume buffer");
    CHECK_FAIL(btx_add_with_resume(s, "de", -3, NULL), 0, "empty resume buffer");
    CHECK_FAIL(btx_add_with_resume(s, "xyz", 3, NULL), 0,
               "invalid resume data: expected value (list, dict, int or string) in bencoded string");
    CHECK_FAIL(btx_add_with_resume(s, "de", 2, NULL), 0, "invalid resume data: invalid file format tag");
    CHECK_INT(btx_torrent_count(s), 0);
}

static void test_magnet_adds(int s, const char *dir)
{
    int t, t2, t3, t4;
    long long v = 0;
    char str[4096], cwd[4096];

    set_sentinel();
    t = btx_add_magnet(s, "magnet:?xt=urn:btih:" H_V1 "&dn=hello%20magnet", dir);
    CHECK(t > 0, "a v1 magnet is added (%d, \"%s\")", t, lasterr());
    CHECK(sentinel_intact(), "a successful add leaves the last error alone");
    CHECK_INT(btx_torrent_count(s), 1);
    CHECK(status_str(t, BTX_F_NAME, str, sizeof str) == 0 && strcmp(str, "hello magnet") == 0,
          "name before metadata is the magnet's dn (got \"%s\")", str);
    CHECK(status_str(t, BTX_F_SAVE_PATH, str, sizeof str) == 0 && strcmp(str, dir) == 0,
          "save path is the one given (got \"%s\")", str);
    CHECK(status_ll(t, BTX_F_STATE, &v) == 0 && v == BTX_STATE_DOWNLOADING_METADATA, "state 2 (got %lld)", v);

    /* D2: a duplicate add returns the existing handle, sets no error and adds no slot */
    set_sentinel();
    t2 = btx_add_magnet(s, "magnet:?xt=urn:btih:" H_V1, NULL);
    CHECK_INT(t2, t);
    CHECK(sentinel_intact(), "D2: a duplicate add sets no error");
    t2 = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:C12FE1C06BBA254A9DC9F519B335AA7C1367A88A", dir, "16", "48");
    CHECK_INT(t2, t);
    CHECK_INT(btx_torrent_count(s), 1);
    CHECK_SILENT(btx_find_torrent(s, H_V1), t);

    /* savePath NULL or "": the current working directory, absolute */
    t3 = btx_add_magnet(s, "magnet:?xt=urn:btih:3333333333333333333333333333333333333333", NULL);
    t4 = btx_add_magnet(s, "magnet:?xt=urn:btih:4444444444444444444444444444444444444444", "");
    CHECK(t3 > 0 && t4 > 0, "magnets without a save path are added (%d, %d)", t3, t4);
    if (getcwd(cwd, sizeof cwd) != NULL) {
        CHECK(status_str(t3, BTX_F_SAVE_PATH, str, sizeof str) == 0 && strcmp(str, cwd) == 0,
              "NULL save path reads back as the working directory \"%s\" (got \"%s\")", cwd, str);
        CHECK(status_str(t4, BTX_F_SAVE_PATH, str, sizeof str) == 0 && strcmp(str, cwd) == 0,
              "empty save path reads back as the working directory \"%s\" (got \"%s\")", cwd, str);
    }
    CHECK(status_str(t3, BTX_F_NAME, str, sizeof str) == 0 && strcmp(str, "") == 0,
          "a magnet without dn has an empty name (got \"%s\")", str);
    CHECK_INT(btx_torrent_count(s), 3);
    CHECK_OK(btx_remove(s, t, 0));
    CHECK_OK(btx_remove(s, t3, 0));
    CHECK_OK(btx_remove(s, t4, 0));
    CHECK_INT(btx_torrent_count(s), 0);
}

static void test_ex_flags(int s, const char *dir)
{
    int t;
    long long v = 0;

    /* flags 16 under mask 48: paused, not auto-managed; it stays paused */
    t = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:5555555555555555555555555555555555555555", dir, "16", "48");
    CHECK(t > 0, "add_magnet_ex(16, 48) (%d)", t);
    CHECK(status_ll(t, BTX_F_FLAGS, &v) == 0 && v == 24, "F_FLAGS 24 for flags 16 mask 48 (got %lld)", v);
    CHECK(status_ll(t, BTX_F_IS_PAUSED, &v) == 0 && v == 1, "isPaused 1 (got %lld)", v);
    sleep_ms(1500);
    CHECK(status_ll(t, BTX_F_FLAGS, &v) == 0 && v == 24, "still 24 after the queue manager ran (got %lld)", v);
    CHECK_OK(btx_remove(s, t, 0));

    /* a NULL string means the defaults: paused + auto-managed (56) until the queue starts it */
    t = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:6666666666666666666666666666666666666666", dir, NULL, "48");
    CHECK(status_ll(t, BTX_F_FLAGS, &v) == 0 && (v == 56 || v == 40), "defaults when flags is NULL (got %lld)", v);
    CHECK(wait_status_ll(t, BTX_F_FLAGS, 40, 5000), "the queue manager starts a default add (flags 40)");
    CHECK(status_ll(t, BTX_F_IS_PAUSED, &v) == 0 && v == 0, "isPaused 0 once started (got %lld)", v);
    CHECK_OK(btx_remove(s, t, 0));

    /* mask 0: flags ignored */
    t = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:7777777777777777777777777777777777777777", dir, "-1", "0");
    CHECK(status_ll(t, BTX_F_FLAGS, &v) == 0 && (v == 56 || v == 40), "mask 0 keeps the defaults (got %lld)", v);
    CHECK_OK(btx_remove(s, t, 0));

    /* sequential download at add time, paused and not auto-managed: 24 + 512 */
    t = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:8888888888888888888888888888888888888888", dir, "528", "560");
    CHECK(status_ll(t, BTX_F_FLAGS, &v) == 0 && v == 536, "flags 528 mask 560 read 536 (got %lld)", v);
    CHECK_OK(btx_remove(s, t, 0));

    /* "-1" wraps to all ones; with mask 48 only paused and auto_managed are taken from it */
    t = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:9999999999999999999999999999999999999999", dir, "-1", "48");
    CHECK(status_ll(t, BTX_F_FLAGS, &v) == 0 && (v == 56 || v == 40), "flags -1 mask 48 (got %lld)", v);
    CHECK_OK(btx_remove(s, t, 0));
}

static void test_torrent_adds(int s, const char *dir)
{
    int len = 0, t, t2;
    long long v = 0;
    char str[256];
    unsigned char *tor = read_vector("torrents/hybrid_multi.torrent", &len);
    if (tor == NULL) return;

    set_sentinel();
    t = btx_add_torrent_file_ex(s, tor, len, dir, "16", "48");
    CHECK(t > 0, "hybrid_multi.torrent is added (%d)", t);
    CHECK(sentinel_intact(), "a successful add leaves the last error alone");
    CHECK(status_str(t, BTX_F_NAME, str, sizeof str) == 0 && strcmp(str, "hybrid_multi") == 0, "name (got \"%s\")", str);
    CHECK(status_ll(t, BTX_F_NUM_PIECES, &v) == 0 && v == 13, "metadata at once: 13 pieces (got %lld)", v);

    /* D2: the same torrent again, as a file and as a magnet */
    t2 = btx_add_torrent_file(s, tor, len, dir);
    CHECK_INT(t2, t);
    t2 = btx_add_magnet(s, "magnet:?xt=urn:btih:" HM_V1, dir);
    CHECK_INT(t2, t);
    t2 = btx_add_magnet(s, "magnet:?xt=urn:btmh:1220" HM_V2, dir);
    CHECK_INT(t2, t);
    CHECK_INT(btx_torrent_count(s), 1);
    CHECK_OK(btx_remove(s, t, 0));

    /* a plain add (default flags) */
    t = btx_add_torrent_file(s, tor, len, dir);
    CHECK(t > 0, "btx_add_torrent_file (%d)", t);
    CHECK_OK(btx_remove(s, t, 0));
    free(tor);
}

/* Every vector torrent adds, with the manifest's hash from btx_info_hash_hex (v1 if any). */
static void test_all_vectors(int s, const char *dir)
{
    static const struct { const char *file, *hash, *name; } v[] = {
        { "v1_single", "c37acda1891f1ecbde0e62af89ea1dd5430d1532", "v1_single.bin" },
        { "v1_multi", "1064116460d5152a3521c6d483f14b1955e9bbdf", "v1_multi" },
        { "hybrid_multi", HM_V1, "hybrid_multi" },
        { "v2_multi", "1c10bc07c9402d4ec3c7c740fac2a3cd47a7741d05902c53401a04f03cfcb9ae", "v2_multi" },
        { "trackers_webseed", "4e9faaa4f0cb62c2c62c46d11052760e33a985ac", "trackers_webseed.bin" },
        { "utf8_names", "fe9691526467f42c051145016206923568cf18fe",
          "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xac\xe3\x83\xb3\xe3\x83\x88" },
        { "private", "493bcb9ecab5e8713cfc8acbea2c61f9fe3015ae", "private.bin" },
        { "hybrid_notail", "f1527deaf0291ddf2e70e0e2fc8b2e87b7a61be2", "hybrid_notail" },
        { "v2_single", "45ab88746e0457eaa8dfb35795c06228574b0473684e47628be1cf94f18030de", "v2_single.bin" },
        { "v1_canonical", "e98adfdc3db94554443f09759079ab051c5fb1cb", "v1_canonical" },
        { "hybrid_order", "0310d5ac4d148d310c04221747f4fb38b3bee548", "hybrid_order" },
    };
    int handles[16], i, n = (int)(sizeof v / sizeof v[0]);
    for (i = 0; i < n; i++) {
        char path[256], hex[80], name[256];
        int len = 0, hl;
        unsigned char *tor;
        handles[i] = 0;
        snprintf(path, sizeof path, "torrents/%s.torrent", v[i].file);
        tor = read_vector(path, &len);
        if (tor == NULL) continue;
        /* paused and not auto-managed: their trackers and web seeds are never contacted */
        handles[i] = btx_add_torrent_file_ex(s, tor, len, dir, "16", "48");
        free(tor);
        CHECK(handles[i] > 0, "%s adds (%d, \"%s\")", path, handles[i], lasterr());
        hl = btx_info_hash_hex(handles[i], hex, (int)sizeof hex - 1);
        hex[hl > 0 ? hl : 0] = '\0';
        CHECK(strcmp(hex, v[i].hash) == 0, "%s: info_hash_hex %s (got %s)", path, v[i].hash, hex);
        CHECK(status_str(handles[i], BTX_F_NAME, name, sizeof name) == 0 && strcmp(name, v[i].name) == 0,
              "%s: name \"%s\" (got \"%s\")", path, v[i].name, name);
    }
    CHECK_INT(btx_torrent_count(s), n);
    for (i = 0; i < n; i++)
        if (handles[i] > 0) CHECK_OK(btx_remove(s, handles[i], 0));
    CHECK_INT(btx_torrent_count(s), 0);
}

static void test_remove(int s, const char *dir)
{
    int len = 0, t, i;
    alert_log log = { NULL, 0, 0 };
    unsigned char *tor = read_vector("torrents/hybrid_multi.torrent", &len);
    if (tor == NULL) return;
    t = btx_add_torrent_file_ex(s, tor, len, dir, "16", "48");
    CHECK(t > 0, "added for removal (%d)", t);

    CHECK_FAIL(btx_remove(0, t, 0), BTX_ERR_BAD_HANDLE, "bad session/torrent handle");
    CHECK_FAIL(btx_remove(s + 65536, t, 0), BTX_ERR_BAD_HANDLE, "bad session/torrent handle");
    CHECK_FAIL(btx_remove(s, 0, 0), BTX_ERR_BAD_HANDLE, "bad session/torrent handle");
    CHECK_FAIL(btx_remove(s, t + 65536, 1), BTX_ERR_BAD_HANDLE, "bad session/torrent handle");
    CHECK_FAIL(btx_remove(s, -t, 1), BTX_ERR_BAD_HANDLE, "bad session/torrent handle");
    CHECK_INT(btx_torrent_count(s), 1);

    CHECK_OK(btx_remove(s, t, 1));
    /* stale at once */
    CHECK_INT(btx_torrent_count(s), 0);
    CHECK_SILENT(btx_torrent_handle_at(s, 0), 0);
    CHECK_SILENT(btx_info_hash_hex(t, NULL, 0), 0);
    CHECK_SILENT(btx_torrent_status(t, NULL, 0), 0);
    CHECK_FAIL(btx_pause(t), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    CHECK_FAIL(btx_remove(s, t, 0), BTX_ERR_BAD_HANDLE, "bad session/torrent handle");

    /* D4: torrentRemoved carries the removed handle and both hashes */
    i = wait_alert(s, &log, BTX_A_TORRENT_REMOVED, t, 5000);
    CHECK(i >= 0, "D4: a torrentRemoved alert with torrent %d arrives", t);
    if (i >= 0) {
        char h[80];
        alert_rec *a = &log.items[i];
        CHECK(btx_rec_get_str(a->body, a->len, BTX_F_EVT_INFO_HASH_V1, h, sizeof h) == 40 &&
              strcmp(h, HM_V1) == 0, "torrentRemoved v1 hash (got \"%s\")", h);
        CHECK(btx_rec_get_str(a->body, a->len, BTX_F_EVT_INFO_HASH_V2, h, sizeof h) == 64 &&
              strcmp(h, HM_V2) == 0, "torrentRemoved v2 hash (got \"%s\")", h);
    }
    log_free(&log);
    free(tor);
}

static void test_resume_adds(int s, const char *dir)
{
    static const char *const blobs[] = {
        "resume/seeding_with_info.resume", "resume/seeding.resume", "resume/edited.resume"
    };
    int len = 0;
    unsigned char *blob;
#if !BTX_PENDING_RESUME
    int t;
    long long v = 0;
    char str[4096];

    /* a blob with an info dict: metadata at once; savePath overrides the blob's */
    blob = read_vector(blobs[0], &len);
    if (blob != NULL) {
        t = btx_add_with_resume(s, blob, len, dir);
        CHECK(t > 0, "seeding_with_info.resume is accepted (%d, \"%s\")", t, lasterr());
        CHECK(status_ll(t, BTX_F_NUM_PIECES, &v) == 0 && v == 13, "metadata from the blob: 13 pieces (got %lld)", v);
        CHECK(status_str(t, BTX_F_SAVE_PATH, str, sizeof str) == 0 && strcmp(str, dir) == 0,
              "a non-empty savePath overrides the blob's (got \"%s\")", str);
        CHECK(status_str(t, BTX_F_NAME, str, sizeof str) == 0 && strcmp(str, "hybrid_multi") == 0, "name (got \"%s\")", str);
        CHECK_OK(btx_remove(s, t, 0));
        free(blob);
    }
    /* a blob without an info dict: no metadata; the blob's save path is kept when none is given */
    blob = read_vector(blobs[1], &len);
    if (blob != NULL) {
        t = btx_add_with_resume(s, blob, len, NULL);
        CHECK(t > 0, "seeding.resume is accepted (%d, \"%s\")", t, lasterr());
        CHECK(status_ll(t, BTX_F_STATE, &v) == 0 && v == BTX_STATE_DOWNLOADING_METADATA,
              "a resume blob without info starts without metadata (state %lld)", v);
        CHECK(status_str(t, BTX_F_SAVE_PATH, str, sizeof str) == 0 &&
              strcmp(str, "/tmp/libtorrent-vectors-work/resume/seeding") == 0,
              "the blob's save path is used when savePath is NULL (got \"%s\")", str);
        CHECK(btx_set_torrent_flags(t, "16", "48") == 0, "pause it");
        CHECK_OK(btx_remove(s, t, 0));
        free(blob);
    }
    /* the edited blob: trackers, web seed, priorities and limits come back */
    blob = read_vector(blobs[2], &len);
    if (blob != NULL) {
        t = btx_add_with_resume(s, blob, len, dir);
        CHECK(t > 0, "edited.resume is accepted (%d)", t);
        CHECK(status_ll(t, BTX_F_FLAGS, &v) == 0 && (v & (BTX_TF_PAUSED | BTX_TF_SEQUENTIAL_DOWNLOAD)) ==
              (BTX_TF_PAUSED | BTX_TF_SEQUENTIAL_DOWNLOAD), "paused + sequential from the blob (flags %lld)", v);
        CHECK_OK(btx_remove(s, t, 0));
        free(blob);
    }
#else
    /* resume data is pending: every well-formed blob (with or without a save path) is refused
     * with "add_torrent failed: ...not supported yet...", and nothing is added */
    size_t i;
    for (i = 0; i < sizeof blobs / sizeof blobs[0]; i++) {
        blob = read_vector(blobs[i], &len);
        if (blob == NULL) continue;
        CHECK_PENDING_ADD(btx_add_with_resume(s, blob, len, dir));
        CHECK_PENDING_ADD(btx_add_with_resume(s, blob, len, NULL));
        free(blob);
    }
    CHECK_INT(btx_torrent_count(s), 0);
#endif
}

void group_add(void)
{
    char *dir = make_tmpdir("add");
    int s = open_quiet_session();
    if (s > 0) {
        test_magnet_validation(s);
        test_torrent_validation(s);
        test_resume_validation(s);
        test_magnet_adds(s, dir);
        test_ex_flags(s, dir);
        test_torrent_adds(s, dir);
        test_all_vectors(s, dir);
        test_remove(s, dir);
        test_resume_adds(s, dir);
        btx_session_free(s);
        CHECK_FAIL(btx_add_magnet(s, "magnet:?xt=urn:btih:" H_V1, NULL), 0, "no live session");
    }
    rm_rf(dir);
    free(dir);
}
