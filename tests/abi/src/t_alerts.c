/* SPDX-License-Identifier: MIT */
/*
 * Group "alerts": btx_pop_alerts framing and the never-drop stash (§3.5): the empty drain,
 * the count header, -(2 + first) when not even the oldest record fits, FIFO order across
 * calls, NULL treated as capacity 0, and the contents of the alerts a local session
 * produces (listenSucceeded, torrentAdded, stateChanged, torrentPaused/Resumed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pending.h"

/* Drains until two consecutive calls return 0 (or 3 s pass). */
static void drain_quiet(int s, alert_log *log)
{
    long long end = now_ms() + 3000;
    int zeros = 0;
    while (zeros < 2 && now_ms() < end) {
        if (drain_once(s, log) == 0) { zeros++; sleep_ms(50); }
        else zeros = 0;
    }
}

static void test_stale(int s)
{
    gbuf g = gb_new(64);
    CHECK_SILENT(btx_pop_alerts(0, gb_ptr(&g), 64), 0);
    CHECK_SILENT(btx_pop_alerts(-1, gb_ptr(&g), 64), 0);
    CHECK_SILENT(btx_pop_alerts(s + 65536, gb_ptr(&g), 64), 0);
    CHECK_SILENT(btx_pop_alerts(s + 1, NULL, 100), 0);
    CHECK(gb_untouched(&g), "a stale session writes nothing");
    gb_free(&g);
}

static void test_listen_alerts(int s, alert_log *log)
{
#if !BTX_PENDING_LISTEN
    int port = 0;
    long long end = now_ms() + 5000;
    char want_ep[64], want_msg[128];
    while ((port = btx_listen_port(s)) <= 0 && now_ms() < end) sleep_ms(20);
    snprintf(want_ep, sizeof want_ep, "127.0.0.1:%d", port);
    snprintf(want_msg, sizeof want_msg, "successfully listening on [TCP] 127.0.0.1:%d", port);
    for (;;) {
        size_t k;
        int found = 0;
        for (k = 0; k < log->n; k++) {
            char ep[128];
            alert_rec *a = &log->items[k];
            if (a->type != BTX_A_LISTEN_SUCCEEDED) continue;
            if (btx_rec_get_str(a->body, a->len, BTX_F_EVT_ENDPOINT, ep, sizeof ep) > 0 && strcmp(ep, want_ep) == 0) {
                char msg[256];
                found = 1;
                CHECK(alert_torrent(a) == 0, "listenSucceeded has torrent 0");
                btx_rec_get_str(a->body, a->len, BTX_F_EVT_MESSAGE, msg, sizeof msg);
                if (strcmp(msg, want_msg) == 0) found = 2;
            }
        }
        if (found == 2 || now_ms() >= end) {
            CHECK(found >= 1, "listenSucceeded for %s arrives", want_ep);
            CHECK(found == 2, "listenSucceeded message \"%s\" for the TCP socket", want_msg);
            break;
        }
        if (drain_once(s, log) == 0) sleep_ms(25);
    }
#else
    /* no listen socket yet: the session must not claim one. Over a bounded wait the port
     * stays 0 and no listenSucceeded is posted. */
    long long end = now_ms() + 500;
    do {
        if (drain_once(s, log) == 0) sleep_ms(25);
    } while (now_ms() < end);
    CHECK_SILENT(btx_listen_port(s), 0);
    CHECK(find_alert(log, 0, BTX_A_LISTEN_SUCCEEDED, -1) < 0, "no listenSucceeded while listening is pending");
#endif
}

static void test_empty_drain(int s, alert_log *log)
{
    int tries, seen_zero = 0;
    for (tries = 0; tries < 10 && !seen_zero; tries++) {
        gbuf g = gb_new(64);
        int r = btx_pop_alerts(s, gb_ptr(&g), 64);
        if (r == 0) {
            seen_zero = 1;
            CHECK(gb_ptr(&g)[0] == 0 && gb_ptr(&g)[1] == 0 && gb_untouched_from(&g, 2),
                  "an empty drain writes exactly 00 00 and returns 0");
        } else {
            /* something arrived meanwhile (it is lost to the log, which is fine here) */
            drain_quiet(s, log);
        }
        gb_free(&g);
    }
    CHECK(seen_zero, "the drain eventually returns 0 when nothing is pending");
    {
        gbuf g = gb_new(1);
        CHECK_SILENT(btx_pop_alerts(s, gb_ptr(&g), 1), 0);
        CHECK(gb_untouched(&g), "cap 1: nothing written");
        gb_free(&g);
    }
    CHECK_SILENT(btx_pop_alerts(s, NULL, 0), 0);
    CHECK_SILENT(btx_pop_alerts(s, NULL, 100), 0);  /* NULL with a capacity must not crash */
}

static int add_file(int s, const char *file, const char *dir)
{
    int len = 0, t;
    unsigned char *tor = read_vector(file, &len);
    if (tor == NULL) return 0;
    t = btx_add_torrent_file_ex(s, tor, len, dir, "16", "48");
    free(tor);
    CHECK(t > 0, "%s added (%d)", file, t);
    return t;
}

static void check_added(const alert_rec *a, const char *name, const char *v1, const char *v2)
{
    char msg[256], want[256], got[128];
    snprintf(want, sizeof want, "added torrent: %s", name);
    btx_rec_get_str(a->body, a->len, BTX_F_EVT_MESSAGE, msg, sizeof msg);
    CHECK(strcmp(msg, want) == 0, "torrentAdded message: expected \"%s\", got \"%s\"", want, msg);
    CHECK(btx_rec_get_str(a->body, a->len, BTX_F_EVT_NAME, got, sizeof got) >= 0 && strcmp(got, name) == 0,
          "torrentAdded name \"%s\" (got \"%s\")", name, got);
    CHECK(btx_rec_find(a->body, a->len, BTX_F_EVT_ERROR_CODE, &(btx_field){0}) == 0, "a successful add has no error code");
    /* D3 (additive): info-hashes may follow; when present they must be right */
    if (btx_rec_get_str(a->body, a->len, BTX_F_EVT_INFO_HASH_V1, got, sizeof got) >= 0)
        CHECK(v1 != NULL && strcmp(got, v1) == 0, "torrentAdded v1 hash (got \"%s\")", got);
    if (btx_rec_get_str(a->body, a->len, BTX_F_EVT_INFO_HASH_V2, got, sizeof got) >= 0)
        CHECK(v2 != NULL && strcmp(got, v2) == 0, "torrentAdded v2 hash (got \"%s\")", got);
}

static int count_alerts(const alert_log *log, unsigned type, long long torrent)
{
    size_t i;
    int n = 0;
    for (i = 0; i < log->n; i++)
        if (log->items[i].type == type && alert_torrent(&log->items[i]) == torrent) n++;
    return n;
}

static void test_stash(int s, const char *dir, alert_log *log)
{
    alert_log seq = { NULL, 0, 0 };
    int t1, t2, r, e1, i1, i2;
    gbuf g;

    drain_quiet(s, log);
    t1 = add_file(s, "torrents/v1_single.torrent", dir);
    t2 = add_file(s, "torrents/v2_single.torrent", dir);
    sleep_ms(300);

    /* cap 3: the oldest record does not fit: -(2 + its size); header 00 00 written, byte 2 not */
    g = gb_new(3);
    r = btx_pop_alerts(s, gb_ptr(&g), 3);
    CHECK(r < -2, "not even the oldest fits: -(2 + size) (got %d)", r);
    CHECK(gb_ptr(&g)[0] == 0 && gb_ptr(&g)[1] == 0 && gb_untouched_from(&g, 2),
          "the count header 00 00 is written, nothing else");
    gb_free(&g);
    if (r >= -2) return;
    e1 = -r - 2;

    /* NULL counts as capacity 0: the same answer, nothing lost */
    CHECK_SILENT(btx_pop_alerts(s, NULL, 100), r);
    CHECK_SILENT(btx_pop_alerts(s, NULL, 0), r);

    /* one byte short of the size asked for: still nothing */
    g = gb_new(1 + e1);
    CHECK_INT(btx_pop_alerts(s, gb_ptr(&g), 1 + e1), r);
    CHECK(gb_ptr(&g)[0] == 0 && gb_ptr(&g)[1] == 0 && gb_untouched_from(&g, 2), "one byte short: only 00 00");
    gb_free(&g);

    /* exactly the size asked for: that one record, filling the buffer */
    g = gb_new(2 + e1);
    r = btx_pop_alerts(s, gb_ptr(&g), 2 + e1);
    CHECK_INT(r, 1);
    CHECK(gb_guards_ok(&g), "a record that fits exactly is written within the buffer");
    if (r == 1) {
        unsigned body = 0;
        btx_read_u16(gb_ptr(&g), (size_t)(2 + e1), 4, &body);
        CHECK((int)body + 4 == e1, "the entry is exactly the size announced (%u + 4 vs %d)", body, e1);
        take_drain(gb_ptr(&g), 2 + e1, 1, &seq);
    }
    gb_free(&g);

    /* the rest stays in order: a tiny buffer again refuses the next one */
    g = gb_new(3);
    r = btx_pop_alerts(s, gb_ptr(&g), 3);
    CHECK(r < -2, "the stash is served first: -(2 + next size) (got %d)", r);
    gb_free(&g);

    /* a large buffer takes the stash, then fresh alerts: FIFO, nothing lost or repeated */
    drain_quiet(s, &seq);
    i1 = find_alert(&seq, 0, BTX_A_TORRENT_ADDED, t1);
    i2 = find_alert(&seq, 0, BTX_A_TORRENT_ADDED, t2);
    CHECK(i1 >= 0 && i2 > i1, "torrentAdded for the first add comes before the second (%d, %d)", i1, i2);
    CHECK_INT(count_alerts(&seq, BTX_A_TORRENT_ADDED, t1), 1);
    CHECK_INT(count_alerts(&seq, BTX_A_TORRENT_ADDED, t2), 1);
    if (i1 >= 0)
        check_added(&seq.items[i1], "v1_single.bin", "c37acda1891f1ecbde0e62af89ea1dd5430d1532", NULL);
    if (i2 >= 0)
        check_added(&seq.items[i2], "v2_single.bin", NULL,
                    "45ab88746e0457eaa8dfb35795c06228574b0473684e47628be1cf94f18030de");
    CHECK_OK(btx_remove(s, t1, 0));
    CHECK_OK(btx_remove(s, t2, 0));
    drain_quiet(s, log);
    log_free(&seq);
}

static void test_magnet_added_names(int s, const char *dir, alert_log *log)
{
    size_t mark;
    int t1, t2, i;
    drain_quiet(s, log);
    mark = log->n;
    t1 = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:e12fe1c06bba254a9dc9f519b335aa7c1367a88a", dir, "16", "48");
    t2 = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:f12fe1c06bba254a9dc9f519b335aa7c1367a88a&xt=urn:btmh:1220"
                           "eaf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e", dir, "16", "48");
    drain_quiet(s, log);
    i = find_alert(log, mark, BTX_A_TORRENT_ADDED, t1);
    CHECK(i >= 0, "torrentAdded for a magnet without dn");
    if (i >= 0) {
        char msg[256];
        btx_rec_get_str(log->items[i].body, log->items[i].len, BTX_F_EVT_MESSAGE, msg, sizeof msg);
        CHECK_STR(msg, "added torrent: e12fe1c06bba254a9dc9f519b335aa7c1367a88a");
        CHECK(btx_rec_find(log->items[i].body, log->items[i].len, BTX_F_EVT_NAME, &(btx_field){0}) == 0,
              "no name field while the magnet has no metadata");
    }
    i = find_alert(log, mark, BTX_A_TORRENT_ADDED, t2);
    CHECK(i >= 0, "torrentAdded for a hybrid magnet without dn");
    if (i >= 0) {
        char msg[256];
        btx_rec_get_str(log->items[i].body, log->items[i].len, BTX_F_EVT_MESSAGE, msg, sizeof msg);
        /* the v2 hash truncated to 20 bytes, not the v1 hash */
        CHECK_STR(msg, "added torrent: eaf1e1c30e81cb361b9ee167c4aa64228a7fa4fa");
    }
    CHECK_OK(btx_remove(s, t1, 0));
    CHECK_OK(btx_remove(s, t2, 0));
}

static void test_pause_resume_alerts(int s, const char *dir, alert_log *log)
{
    int t = add_file(s, "torrents/hybrid_multi.torrent", dir), i;
    size_t k;
    if (t <= 0) return;
    CHECK_OK(btx_resume(t));
    i = wait_alert(s, log, BTX_A_TORRENT_RESUMED, t, 5000);
    CHECK(i >= 0, "torrentResumed follows btx_resume");
    if (i >= 0) {
        btx_rec_iter it;
        btx_rec_init(&it, log->items[i].body, log->items[i].len);
        CHECK(it.count == 1, "torrentResumed carries only field 60 (%u fields)", it.count);
    }
    CHECK_OK(btx_pause(t));
    i = wait_alert(s, log, BTX_A_TORRENT_PAUSED, t, 5000);
    CHECK(i >= 0, "torrentPaused follows btx_pause");
    /* every stateChanged seen so far is well formed */
    for (k = 0; k < log->n; k++) {
        long long st = -1, prev = -1;
        alert_rec *a = &log->items[k];
        if (a->type != BTX_A_STATE_CHANGED) continue;
        CHECK(btx_rec_get_ll(a->body, a->len, BTX_F_EVT_STATE, &st) == 0 && st >= 0 && st <= 7 &&
              btx_rec_get_ll(a->body, a->len, BTX_F_EVT_PREV_STATE, &prev) == 0 && prev >= 0 && prev <= 7 &&
              st != prev, "stateChanged carries state and a different previous state (%lld <- %lld)", st, prev);
    }
    if (wait_alert(s, log, BTX_A_STATE_CHANGED, t, 5000) < 0) {
        CHECK(0, "a torrent added with metadata reports stateChanged (7 -> ...) for handle %d", t);
        for (k = 0; k < log->n; k++)
            t_note("alert log[%zu]: code %u torrent %lld", k, log->items[k].type, alert_torrent(&log->items[k]));
    }
    CHECK_OK(btx_remove(s, t, 0));
}

static void test_free_discards(const char *dir)
{
    alert_log log = { NULL, 0, 0 };
    int s = open_quiet_session(), t, r;
    gbuf g;
    if (s <= 0) return;
    t = add_file(s, "torrents/v1_multi.torrent", dir);
    sleep_ms(200);
    g = gb_new(3);
    r = btx_pop_alerts(s, gb_ptr(&g), 3);   /* everything is now in the stash */
    gb_free(&g);
    CHECK(r < 0, "alerts are stashed (%d)", r);
    btx_session_free(s);
    CHECK_SILENT(btx_pop_alerts(s, NULL, 0), 0);
    s = open_quiet_session();
    if (s <= 0) return;
    drain_quiet(s, &log);
    CHECK(find_alert(&log, 0, BTX_A_TORRENT_ADDED, -1) < 0, "a freed session's stash is not delivered by the next");
    (void)t;
    btx_session_free(s);
    log_free(&log);
}

void group_alerts(void)
{
    alert_log log = { NULL, 0, 0 };
    char *dir = make_tmpdir("alerts");
    int s = open_quiet_session();
    if (s > 0) {
        test_stale(s);
        test_listen_alerts(s, &log);
        drain_quiet(s, &log);
        test_empty_drain(s, &log);
        test_stash(s, dir, &log);
        test_magnet_added_names(s, dir, &log);
        test_pause_resume_alerts(s, dir, &log);
        btx_session_free(s);
        test_stale(s);
        test_free_discards(dir);
    }
    log_free(&log);
    rm_rf(dir);
    free(dir);
}
