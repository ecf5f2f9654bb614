/* SPDX-License-Identifier: MIT */
/*
 * Group "stale": every handle-taking function with zero, negative, generation-0, unallocated,
 * wrong-generation, removed and freed handles (§1.5, §1.6, §1.7, §2). Actions return -2 or
 * -5 with their text and check the handle before any other argument; getters return 0 (the
 * queue position -1), write nothing and leave the last error alone.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define BAD_T "bad torrent handle"
#define NO_S "no live session"

static int g_h; /* the handle under test, for the messages */

static void expect_fail(long long got, long long rc, const char *text, const char *call, int line)
{
    const char *l = lasterr();
    t_check(got == rc, __FILE__, line, "%s with handle %d: expected %lld, got %lld", call, g_h, rc, got);
    t_check(strcmp(l, text) == 0, __FILE__, line, "%s with handle %d: last error expected \"%s\", got \"%s\"",
            call, g_h, text, l);
}
#define FAILS(expr, rc, text) do { long long r_; btx_clear_error(); r_ = (long long)(expr); \
        expect_fail(r_, (rc), (text), #expr, __LINE__); } while (0)

static void expect_silent(long long got, long long rc, const char *call, int line, const gbuf *g)
{
    t_check(got == rc, __FILE__, line, "%s with handle %d: expected %lld, got %lld", call, g_h, rc, got);
    t_check(sentinel_intact(), __FILE__, line, "%s with handle %d: the last error must not change (now \"%s\")",
            call, g_h, lasterr());
    if (g != NULL)
        t_check(gb_untouched(g), __FILE__, line, "%s with handle %d: nothing may be written", call, g_h);
}
#define SILENT(expr, rc, g) do { long long r_; set_sentinel(); r_ = (long long)(expr); \
        expect_silent(r_, (rc), #expr, __LINE__, (g)); } while (0)

static void sweep_torrent(int h, int s)
{
    static const unsigned char prio[2] = { 1, 1 };
    gbuf g = gb_new(512);
    unsigned char *o = gb_ptr(&g);
    g_h = h;
    /* actions: -2 with the text; the handle is checked before every other argument */
    FAILS(btx_set_piece_deadline(h, 0, 100), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_piece_deadline(h, -1, 100), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_clear_piece_deadlines(h), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_pause(h), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_resume(h), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_force_recheck(h), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_force_reannounce(h), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_file_priority(h, 0, 4), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_file_priority(h, -1, 4), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_file_priorities(h, prio, 2), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_file_priorities(h, NULL, -1), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_piece_priority(h, 0, 4), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_piece_priority(h, -1, 4), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_torrent_limits(h, "1000", "1000"), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_torrent_limits(h, NULL, NULL), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_torrent_flags(h, "512", "512"), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_torrent_flags(h, NULL, NULL), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_unset_torrent_flags(h, "512"), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_unset_torrent_flags(h, NULL), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_max_connections(h, 10), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_set_max_uploads(h, 10), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_torrent_clear_error(h), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_scrape_tracker(h), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_move_storage(h, "/tmp"), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_move_storage(h, NULL), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_queue_move(h, 0), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_queue_move(h, 99), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_add_tracker(h, "http://t.example/a", 0), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_add_tracker(h, NULL, 0), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_add_url_seed(h, "http://w.example/"), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_add_url_seed(h, ""), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_remove_url_seed(h, "http://w.example/"), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_remove_url_seed(h, NULL), BTX_ERR_BAD_HANDLE, BAD_T);
    FAILS(btx_save_resume(h), BTX_ERR_BAD_HANDLE, BAD_T);
    if (s > 0) FAILS(btx_remove(s, h, 0), BTX_ERR_BAD_HANDLE, "bad session/torrent handle");

    /* getters: 0 (queue position -1), nothing written, silent */
    SILENT(btx_queue_position(h), -1, NULL);
    SILENT(btx_torrent_status(h, o, 512), 0, &g);
    SILENT(btx_torrent_status(h, NULL, 512), 0, NULL);
    SILENT(btx_torrent_status(h, NULL, 0), 0, NULL);
    SILENT(btx_info_hash_hex(h, (char *)o, 512), 0, &g);
    SILENT(btx_info_hash_hex(h, NULL, 0), 0, NULL);
    SILENT(btx_piece_bitfield(h, o, 512), 0, &g);
    SILENT(btx_piece_bitfield(h, NULL, 0), 0, NULL);
    SILENT(btx_peer_list(h, o, 512), 0, &g);
    SILENT(btx_peer_list(h, NULL, 512), 0, NULL);
    SILENT(btx_file_list(h, o, 512), 0, &g);
    SILENT(btx_file_list(h, NULL, 512), 0, NULL);
    SILENT(btx_piece_availability(h, o, 512), 0, &g);
    SILENT(btx_trackers(h, o, 512), 0, &g);
    SILENT(btx_trackers(h, NULL, 100), 0, NULL);
    SILENT(btx_url_seeds(h, o, 512), 0, &g);
    SILENT(btx_url_seeds(h, NULL, 100), 0, NULL);
    gb_free(&g);
}

static void sweep_session(int h, int live)
{
    static const unsigned char data[4] = { 'd', 'e', 0, 0 };
    gbuf g = gb_new(512);
    unsigned char *o = gb_ptr(&g);
    g_h = h;
    /* session-scoped actions: -5 "no live session", checked before the other arguments */
    FAILS(btx_set_int(h, "connections_limit", "5"), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_set_int(h, NULL, NULL), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_set_bool(h, "enable_dht", 0), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_set_str(h, "user_agent", "x"), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_set_str(h, NULL, NULL), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_set_encryption_policy(h, 1, 1, 3), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_session_pause(h), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_session_resume(h), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_dht_announce(h, NULL, -1), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_ip_filter_add(h, NULL, NULL, 1), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_ip_filter_clear(h), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_dht_add_bootstrap(h, NULL, 0), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_dht_load_state(h, NULL, 0), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_dht_load_state(h, data, 2), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_dht_get_immutable(h, NULL), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_dht_put_mutable(h, NULL, NULL, NULL, NULL, -1), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_dht_get_mutable(h, NULL, NULL), BTX_ERR_NO_SESSION, NO_S);
    FAILS(btx_remove(h, 65536, 0), BTX_ERR_BAD_HANDLE, "bad session/torrent handle");
    /* the add functions are not silent */
    FAILS(btx_add_magnet(h, "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a", NULL), 0, NO_S);
    FAILS(btx_add_magnet(h, NULL, NULL), 0, NO_S);
    FAILS(btx_add_magnet_ex(h, NULL, NULL, NULL, NULL), 0, NO_S);
    FAILS(btx_add_torrent_file(h, data, 2, NULL), 0, NO_S);
    FAILS(btx_add_torrent_file(h, NULL, 0, NULL), 0, NO_S);
    FAILS(btx_add_torrent_file_ex(h, NULL, 0, NULL, NULL, NULL), 0, NO_S);
    FAILS(btx_add_with_resume(h, data, 2, NULL), 0, NO_S);
    FAILS(btx_add_with_resume(h, NULL, -1, NULL), 0, NO_S);

    /* int getters: 0, silent */
    SILENT(btx_session_is_paused(h), 0, NULL);
    SILENT(btx_listen_port(h), 0, NULL);
    SILENT(btx_find_torrent(h, "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"), 0, NULL);
    SILENT(btx_torrent_count(h), 0, NULL);
    SILENT(btx_torrent_handle_at(h, 0), 0, NULL);
    /* buffer getters: 0, nothing written, silent */
    SILENT(btx_get_setting(h, "user_agent", (char *)o, 512), 0, &g);
    SILENT(btx_get_setting(h, "no_such_key", (char *)o, 512), 0, &g);
    SILENT(btx_pop_alerts(h, o, 512), 0, &g);
    SILENT(btx_pop_alerts(h, NULL, 512), 0, NULL);
    SILENT(btx_dht_state(h, o, 512), 0, &g);
    SILENT(btx_dht_state(h, NULL, 512), 0, NULL);
    SILENT(btx_dht_save_state(h, o, 512), 0, &g);
    SILENT(btx_dht_put_immutable(h, "hi", 2, (char *)o, 512), 0, &g);
    SILENT(btx_dht_put_immutable(h, NULL, -1, (char *)o, 512), 0, &g);
    /* freeing it is a silent no-op that leaves the live session alone */
    set_sentinel();
    btx_session_free(h);
    CHECK(sentinel_intact(), "btx_session_free(%d) is silent", h);
    if (live > 0) CHECK(btx_torrent_count(live) >= 1, "btx_session_free(%d) did not free the live session %d", h, live);
    gb_free(&g);
}

void group_stale(void)
{
    char *dir = make_tmpdir("stale");
    int s, t, r, i;
    int torrents[16], sessions[16], nt = 0, ns = 0;

    /* before any session: every handle is stale */
    sweep_torrent(65536, 0);
    sweep_session(65536, 0);

    s = open_quiet_session();
    if (s <= 0) goto out;
    t = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:0102030405060708090a0b0c0d0e0f1011121314", dir, "16", "48");
    r = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:1102030405060708090a0b0c0d0e0f1011121314", dir, "16", "48");
    CHECK(t > 0 && r > 0, "two torrents added (%d, %d)", t, r);
    CHECK_OK(btx_remove(s, r, 0));

    torrents[nt++] = 0;
    torrents[nt++] = -1;
    torrents[nt++] = -t;
    torrents[nt++] = 1;            /* generation 0 */
    torrents[nt++] = 65535;        /* generation 0, last slot */
    torrents[nt++] = INT_MIN;
    torrents[nt++] = INT_MAX;      /* generation 32767, slot 65535: never allocated */
    torrents[nt++] = t + 65536;    /* live slot, wrong generation */
    torrents[nt++] = t + 1000;     /* slot never allocated */
    torrents[nt++] = r;            /* removed */
    torrents[nt++] = s;            /* a session handle is not a torrent handle (different table) */
    for (i = 0; i < nt; i++) {
        if (torrents[i] == t) continue;
        sweep_torrent(torrents[i], s);
    }
    /* the live torrent still works after all that */
    CHECK_OK(btx_pause(t));
    CHECK(btx_info_hash_hex(t, NULL, 0) == -40, "the live torrent is intact");

    sessions[ns++] = 0;
    sessions[ns++] = -1;
    sessions[ns++] = -s;
    sessions[ns++] = 1;
    sessions[ns++] = 65535;
    sessions[ns++] = INT_MIN;
    sessions[ns++] = INT_MAX;
    sessions[ns++] = s + 65536;    /* the next generation */
    sessions[ns++] = s + 1;        /* a slot never used */
    for (i = 0; i < ns; i++) sweep_session(sessions[i], s);
    CHECK_OK(btx_session_pause(s));

    /* after the free: the session and its torrents are stale */
    btx_session_free(s);
    sweep_session(s, 0);
    sweep_torrent(t, 0);
out:
    rm_rf(dir);
    free(dir);
}
