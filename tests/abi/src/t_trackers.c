/* SPDX-License-Identifier: MIT */
/*
 * Group "trackers": btx_trackers, btx_add_tracker, btx_add_url_seed, btx_remove_url_seed and
 * btx_url_seeds (§4.9). Every torrent here is paused and not auto-managed, so none of the
 * (made-up) tracker or web-seed hosts is ever contacted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static int trackers_fn(void *ctx, void *out, int cap) { return btx_trackers(*(int *)ctx, out, cap); }
static int seeds_fn(void *ctx, void *out, int cap) { return btx_url_seeds(*(int *)ctx, out, cap); }

typedef struct tracker { char url[512]; long long tier, verified, source; } tracker;

/* Reads the tracker list (through the record protocol checks when full is set). */
static int read_trackers(int t, tracker *out, int max, int full)
{
    unsigned char *b = NULL;
    int n, i = 0;
    btx_list_iter it;
    btx_rec_iter rec;
    if (full) n = check_record("btx_trackers", trackers_fn, &t, REC_LIST, &b);
    else n = get_alloc(trackers_fn, &t, &b);
    if (n <= 0 || b == NULL || btx_list_init(&it, b, (size_t)n) != 0) { free(b); return -1; }
    while (i < max && btx_list_next(&it, &rec) == 1) {
        btx_field f;
        unsigned want = BTX_F_TRACKER_URL;
        int order_ok = rec.count == 4;
        while (btx_rec_next_field(&rec, &f) == 1) { if (f.id != want) order_ok = 0; want++; }
        CHECK(order_ok, "tracker entry %d has fields 130, 131, 132, 133", i);
        btx_rec_get_str(rec.buf, rec.len, BTX_F_TRACKER_URL, out[i].url, sizeof out[i].url);
        btx_rec_get_ll(rec.buf, rec.len, BTX_F_TRACKER_TIER, &out[i].tier);
        btx_rec_get_ll(rec.buf, rec.len, BTX_F_TRACKER_VERIFIED, &out[i].verified);
        btx_rec_get_ll(rec.buf, rec.len, BTX_F_TRACKER_SOURCE, &out[i].source);
        i++;
    }
    free(b);
    return i;
}

/* Reads the web seeds into one '\n'-joined string. Returns the count or -1. */
static int read_seeds(int t, char *joined, size_t cap, int full)
{
    unsigned char *b = NULL;
    int n, i = 0;
    btx_list_iter it;
    btx_rec_iter rec;
    joined[0] = '\0';
    if (full) n = check_record("btx_url_seeds", seeds_fn, &t, REC_LIST, &b);
    else n = get_alloc(seeds_fn, &t, &b);
    if (n <= 0 || b == NULL || btx_list_init(&it, b, (size_t)n) != 0) { free(b); return -1; }
    while (btx_list_next(&it, &rec) == 1) {
        char u[512];
        CHECK(rec.count == 1, "url seed entry %d holds exactly field 134 (count %u)", i, rec.count);
        btx_rec_get_str(rec.buf, rec.len, BTX_F_URL_SEED, u, sizeof u);
        if (i > 0) strncat(joined, "\n", cap - strlen(joined) - 1);
        strncat(joined, u, cap - strlen(joined) - 1);
        i++;
    }
    free(b);
    return i;
}

static int wait_seeds(int t, const char *want, char *got, size_t cap)
{
    long long end = now_ms() + 3000;
    for (;;) {
        read_seeds(t, got, cap, 0);
        if (strcmp(got, want) == 0) return 1;
        if (now_ms() >= end) return 0;
        sleep_ms(20);
    }
}

#define CHECK_SEEDS(t, want) do { char g_[2048]; int ok_ = wait_seeds((t), (want), g_, sizeof g_); \
        t_check(ok_, __FILE__, __LINE__, "url seeds: expected \"%s\", got \"%s\"", (want), g_); } while (0)

static void test_torrent_trackers(int s, const char *dir)
{
    int len = 0, t, n;
    tracker tr[16];
    unsigned char *tor = read_vector("torrents/trackers_webseed.torrent", &len);
    if (tor == NULL) return;
    t = btx_add_torrent_file_ex(s, tor, len, dir, "16", "48");
    free(tor);
    CHECK(t > 0, "trackers_webseed added paused (%d)", t);
    if (t <= 0) return;

    n = read_trackers(t, tr, 16, 1);
    CHECK_INT(n, 3);
    if (n == 3) {
        /* by tier; within tier 0 the engine may order the two as it likes */
        int a = strcmp(tr[0].url, "http://tracker-a.example/announce") == 0 ? 0 : 1;
        CHECK(strcmp(tr[a].url, "http://tracker-a.example/announce") == 0 &&
              strcmp(tr[1 - a].url, "udp://tracker-b.example:6969/announce") == 0, "tier 0 holds tracker-a and tracker-b");
        CHECK(tr[0].tier == 0 && tr[1].tier == 0, "tier 0 first");
        CHECK_STR(tr[2].url, "http://backup.example/announce");
        CHECK_INT(tr[2].tier, 1);
        CHECK(tr[0].source == BTX_TS_TORRENT && tr[1].source == BTX_TS_TORRENT && tr[2].source == BTX_TS_TORRENT,
              "trackers from the .torrent have source 1");
        CHECK(tr[0].verified == 0 && tr[1].verified == 0 && tr[2].verified == 0, "none verified");
    }

    CHECK_FAIL(btx_add_tracker(t, NULL, 0), BTX_ERR_INVALID_ARG, "empty tracker url");
    CHECK_FAIL(btx_add_tracker(t, "", 0), BTX_ERR_INVALID_ARG, "empty tracker url");
    CHECK_FAIL(btx_add_tracker(0, "", 0), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    CHECK_OK(btx_add_tracker(t, "http://new.example/announce", 0));   /* after the tier-0 ones */
    CHECK_OK(btx_add_tracker(t, "http://tracker-a.example/announce", 5)); /* already there: unchanged */
    CHECK_OK(btx_add_tracker(t, "http://t300.example/announce", 300)); /* tier clamped to 255 */
    CHECK_OK(btx_add_tracker(t, "http://neg.example/announce", -5));   /* tier clamped to 0 */
    {
        long long end = now_ms() + 3000;
        do { n = read_trackers(t, tr, 16, 0); if (n == 6) break; sleep_ms(20); } while (now_ms() < end);
    }
    n = read_trackers(t, tr, 16, 1);
    CHECK_INT(n, 6);
    if (n == 6) {
        CHECK(tr[0].tier == 0 && tr[1].tier == 0, "the .torrent's tier-0 trackers stay first");
        CHECK(strcmp(tr[0].url, "http://tracker-a.example/announce") == 0 ||
              strcmp(tr[1].url, "http://tracker-a.example/announce") == 0, "tracker-a kept tier 0 (not 5)");
        CHECK_STR(tr[2].url, "http://new.example/announce");
        CHECK_INT(tr[2].tier, 0);
        CHECK_INT(tr[2].source, BTX_TS_CLIENT);
        CHECK_STR(tr[3].url, "http://neg.example/announce");
        CHECK_INT(tr[3].tier, 0);
        CHECK_STR(tr[4].url, "http://backup.example/announce");
        CHECK_STR(tr[5].url, "http://t300.example/announce");
        CHECK_INT(tr[5].tier, 255);
        CHECK_INT(tr[5].source, BTX_TS_CLIENT);
    }

    /* web seeds: sorted in byte order */
    CHECK_SEEDS(t, "http://webseed.example/files/");
    read_seeds(t, (char[2048]){0}, 2048, 1);
    CHECK_FAIL(btx_add_url_seed(t, NULL), BTX_ERR_INVALID_ARG, "empty url seed");
    CHECK_FAIL(btx_add_url_seed(t, ""), BTX_ERR_INVALID_ARG, "empty url seed");
    CHECK_FAIL(btx_remove_url_seed(t, NULL), BTX_ERR_INVALID_ARG, "empty url seed");
    CHECK_FAIL(btx_remove_url_seed(t, ""), BTX_ERR_INVALID_ARG, "empty url seed");
    CHECK_FAIL(btx_add_url_seed(0, NULL), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    CHECK_FAIL(btx_remove_url_seed(0, NULL), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    CHECK_OK(btx_add_url_seed(t, "http://b.example/"));
    CHECK_OK(btx_add_url_seed(t, "http://a.example/"));
    CHECK_OK(btx_add_url_seed(t, "http://a.example/"));  /* a set: no duplicate */
    CHECK_SEEDS(t, "http://a.example/\nhttp://b.example/\nhttp://webseed.example/files/");
    read_seeds(t, (char[2048]){0}, 2048, 1);
    CHECK_OK(btx_remove_url_seed(t, "http://b.example/"));
    CHECK_OK(btx_remove_url_seed(t, "http://not-there.example/"));
    CHECK_SEEDS(t, "http://a.example/\nhttp://webseed.example/files/");
    CHECK_OK(btx_remove_url_seed(t, "http://a.example/"));
    CHECK_OK(btx_remove_url_seed(t, "http://webseed.example/files/"));
    CHECK_SEEDS(t, "");
    {
        gbuf g = gb_new(8);
        CHECK_INT(btx_url_seeds(t, gb_ptr(&g), 8), 2);
        CHECK(gb_ptr(&g)[0] == 0 && gb_ptr(&g)[1] == 0 && gb_untouched_from(&g, 2), "no web seeds: exactly 00 00");
        gb_free(&g);
    }
    CHECK_OK(btx_remove(s, t, 0));
}

static void test_magnet_trackers(int s, const char *dir)
{
    tracker tr[8];
    char seeds[1024];
    int n;
    int t = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
                              "&tr=http%3A%2F%2Ft1.example%2Fannounce&tr=udp%3A%2F%2Ft2.example%3A6969"
                              "&tr=http://t3.example/announce?a=1"
                              "&ws=http%3A%2F%2Fweb.example%2Ffiles%2F&ws=http://web2.example/x", dir, "16", "48");
    CHECK(t > 0, "magnet with trackers added paused (%d)", t);
    if (t <= 0) return;
    n = read_trackers(t, tr, 8, 1);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(tr[0].url, "http://t1.example/announce");
        CHECK_STR(tr[1].url, "udp://t2.example:6969");
        CHECK_STR(tr[2].url, "http://t3.example/announce?a=1");
        CHECK(tr[0].tier == 0 && tr[1].tier == 1 && tr[2].tier == 2, "one tier per tr= (%lld %lld %lld)",
              tr[0].tier, tr[1].tier, tr[2].tier);
        CHECK(tr[0].source == BTX_TS_MAGNET_LINK && tr[1].source == BTX_TS_MAGNET_LINK &&
              tr[2].source == BTX_TS_MAGNET_LINK, "magnet trackers have source 4");
    }
    n = read_seeds(t, seeds, sizeof seeds, 1);
    CHECK_INT(n, 2);
    CHECK_STR(seeds, "http://web.example/files/\nhttp://web2.example/x");
    CHECK_OK(btx_remove(s, t, 0));

    /* no trackers: an empty list */
    t = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:d12fe1c06bba254a9dc9f519b335aa7c1367a88a", dir, "16", "48");
    {
        gbuf g = gb_new(8);
        CHECK_INT(btx_trackers(t, gb_ptr(&g), 8), 2);
        CHECK(gb_ptr(&g)[0] == 0 && gb_ptr(&g)[1] == 0 && gb_untouched_from(&g, 2), "no trackers: exactly 00 00");
        gb_free(&g);
    }
    CHECK_OK(btx_remove(s, t, 0));
}

void group_trackers(void)
{
    char *dir = make_tmpdir("trackers");
    int s = open_quiet_session();
    if (s > 0) {
        test_torrent_trackers(s, dir);
        test_magnet_trackers(s, dir);
        btx_session_free(s);
    }
    rm_rf(dir);
    free(dir);
}
