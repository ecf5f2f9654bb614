/* SPDX-License-Identifier: MIT */
/*
 * Group "session": btx_session_pause/resume/is_paused, btx_listen_port, btx_find_torrent,
 * btx_dht_announce, btx_ip_filter_add/clear, btx_set_piece_deadline and
 * btx_clear_piece_deadlines (§4.3, §4.4).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pending.h"

#define H_V1   "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
#define H_V2   "caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e"
#define H_V2T  "caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa"
#define H_HYB1 "1111111111111111111111111111111111111111"
#define H_HYB2 "2222222222222222222222222222222222222222222222222222222222222222"

static void upper(char *s) { for (; *s; s++) *s = (char)toupper((unsigned char)*s); }

static void test_pause(int s)
{
    CHECK_FAIL(btx_session_pause(0), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_session_resume(s + 65536), BTX_ERR_NO_SESSION, "no live session");
    CHECK_SILENT(btx_session_is_paused(0), 0);
    CHECK_SILENT(btx_session_is_paused(-s), 0);
    CHECK_INT(btx_session_is_paused(s), 0);
    /* the query is ordered after the request: no lag */
    CHECK_OK(btx_session_pause(s));
    CHECK_INT(btx_session_is_paused(s), 1);
    CHECK_OK(btx_session_pause(s));
    CHECK_INT(btx_session_is_paused(s), 1);
    CHECK_OK(btx_session_resume(s));
    CHECK_INT(btx_session_is_paused(s), 0);
    CHECK_OK(btx_session_resume(s));
    CHECK_INT(btx_session_is_paused(s), 0);
}

static void test_listen_port(int s)
{
    CHECK_SILENT(btx_listen_port(0), 0);
    CHECK_SILENT(btx_listen_port(s + 65536), 0);
#if !BTX_PENDING_LISTEN
    {
        long long end = now_ms() + 5000;
        int p = 0;
        while (now_ms() < end && (p = btx_listen_port(s)) <= 0) sleep_ms(20);
        CHECK(p > 0 && p <= 65535, "btx_listen_port reports the ephemeral port on 127.0.0.1 (got %d)", p);
    }
#else
    /* no listen socket yet: "0 if it is not listening", a getter's silent answer; it must
     * not claim a port it does not have, now or a little later */
    CHECK_SILENT(btx_listen_port(s), 0);
    sleep_ms(200);
    CHECK_SILENT(btx_listen_port(s), 0);
#endif
}

static void test_find(int s, const char *dir)
{
    int t1, t2, t3, len = 0;
    char hex[80];
    unsigned char *tor;

    CHECK_SILENT(btx_find_torrent(0, H_V1), 0);
    CHECK_SILENT(btx_find_torrent(s, NULL), 0);
    CHECK_SILENT(btx_find_torrent(s, ""), 0);
    CHECK_SILENT(btx_find_torrent(s, H_V1), 0); /* no match yet */

    t1 = btx_add_magnet(s, "magnet:?xt=urn:btih:" H_V1 "&dn=find", dir);
    CHECK(t1 > 0, "v1 magnet added (%d)", t1);
    CHECK_SILENT(btx_find_torrent(s, H_V1), t1);
    snprintf(hex, sizeof hex, "%s", H_V1);
    upper(hex);
    CHECK_SILENT(btx_find_torrent(s, hex), t1);              /* upper case accepted */
    CHECK_SILENT(btx_find_torrent(s + 65536, H_V1), 0);      /* stale session */
    CHECK_SILENT(btx_find_torrent(s, "c12fe1c06bba254a9dc9f519b335aa7c1367a88"), 0);   /* 39 */
    CHECK_SILENT(btx_find_torrent(s, H_V1 "0"), 0);                                      /* 41 */
    CHECK_SILENT(btx_find_torrent(s, "g12fe1c06bba254a9dc9f519b335aa7c1367a88a"), 0);  /* not hex */
    CHECK_SILENT(btx_find_torrent(s, " c12fe1c06bba254a9dc9f519b335aa7c1367a88"), 0);
    CHECK_SILENT(btx_find_torrent(s, "0x2fe1c06bba254a9dc9f519b335aa7c1367a88a"), 0);
    CHECK_SILENT(btx_find_torrent(s, H_V2), 0);  /* 64 chars: only 40 are accepted */

    /* v2 magnet: found by the truncated v2 hash */
    t2 = btx_add_magnet(s, "magnet:?xt=urn:btmh:1220" H_V2, dir);
    CHECK(t2 > 0, "btmh magnet added (%d)", t2);
    CHECK_SILENT(btx_find_torrent(s, H_V2T), t2);
    /* hybrid magnet: by v1 and by truncated v2 */
    t3 = btx_add_magnet(s, "magnet:?xt=urn:btih:" H_HYB1 "&xt=urn:btmh:1220" H_HYB2, dir);
    CHECK(t3 > 0, "hybrid magnet added (%d)", t3);
    CHECK_SILENT(btx_find_torrent(s, H_HYB1), t3);
    CHECK_SILENT(btx_find_torrent(s, "2222222222222222222222222222222222222222"), t3);

    /* a hybrid .torrent: v1 and truncated v2 */
    tor = read_vector("torrents/hybrid_multi.torrent", &len);
    if (tor != NULL) {
        int t4 = btx_add_torrent_file_ex(s, tor, len, dir, "16", "48");
        CHECK(t4 > 0, "hybrid_multi.torrent added (%d)", t4);
        CHECK_SILENT(btx_find_torrent(s, "bc3d7a387b7c8401099370b4eec20618889038c9"), t4);
        CHECK_SILENT(btx_find_torrent(s, "9c730b3a36e6689a45c43cfca5fae84864e53046"), t4);
        CHECK_SILENT(btx_find_torrent(s, "9C730B3A36E6689A45C43CFCA5FAE84864E53046"), t4);
        CHECK_OK(btx_remove(s, t4, 0));
        CHECK_SILENT(btx_find_torrent(s, "bc3d7a387b7c8401099370b4eec20618889038c9"), 0);
        free(tor);
    }
    /* a v2-only .torrent: truncated v2 */
    tor = read_vector("torrents/v2_single.torrent", &len);
    if (tor != NULL) {
        int t5 = btx_add_torrent_file_ex(s, tor, len, dir, "16", "48");
        CHECK(t5 > 0, "v2_single.torrent added (%d)", t5);
        CHECK_SILENT(btx_find_torrent(s, "45ab88746e0457eaa8dfb35795c06228574b0473"), t5);
        CHECK_OK(btx_remove(s, t5, 0));
        free(tor);
    }
    CHECK_OK(btx_remove(s, t1, 0));
    CHECK_SILENT(btx_find_torrent(s, H_V1), 0);
    CHECK_OK(btx_remove(s, t2, 0));
    CHECK_OK(btx_remove(s, t3, 0));
}

static void test_dht_announce(int s)
{
    CHECK_FAIL(btx_dht_announce(0, H_V1, 6881), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_announce(s + 65536, NULL, -1), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_announce(s, NULL, 6881), BTX_ERR_INVALID_ARG, "info-hash must be 40 hex chars");
    CHECK_FAIL(btx_dht_announce(s, "", 6881), BTX_ERR_INVALID_ARG, "info-hash must be 40 hex chars");
    CHECK_FAIL(btx_dht_announce(s, "c12fe1c06bba254a9dc9f519b335aa7c1367a88", 6881), BTX_ERR_INVALID_ARG,
               "info-hash must be 40 hex chars");
    CHECK_FAIL(btx_dht_announce(s, H_V1 "a", 6881), BTX_ERR_INVALID_ARG, "info-hash must be 40 hex chars");
    CHECK_FAIL(btx_dht_announce(s, "z12fe1c06bba254a9dc9f519b335aa7c1367a88a", 6881), BTX_ERR_INVALID_ARG,
               "info-hash must be 40 hex chars");
    CHECK_FAIL(btx_dht_announce(s, "z12fe1c06bba254a9dc9f519b335aa7c1367a88a", -1), BTX_ERR_INVALID_ARG,
               "info-hash must be 40 hex chars");
    CHECK_FAIL(btx_dht_announce(s, H_V1, -1), BTX_ERR_INVALID_ARG, "bad port");
    CHECK_FAIL(btx_dht_announce(s, H_V1, 65536), BTX_ERR_INVALID_ARG, "bad port");
#if !BTX_PENDING_DHT
    CHECK_OK(btx_dht_announce(s, H_V1, 0));      /* implied port */
    CHECK_OK(btx_dht_announce(s, H_V1, 65535));
    CHECK_OK(btx_dht_announce(s, "C12FE1C06BBA254A9DC9F519B335AA7C1367A88A", 6881));
#else
    /* valid arguments reach the missing DHT: an honest refusal */
    CHECK_PENDING(btx_dht_announce(s, H_V1, 0));
    CHECK_PENDING(btx_dht_announce(s, H_V1, 65535));
    CHECK_PENDING(btx_dht_announce(s, "C12FE1C06BBA254A9DC9F519B335AA7C1367A88A", 6881));
#endif
}

static void test_ip_filter(int s)
{
    CHECK_FAIL(btx_ip_filter_add(0, "1.2.3.4", "1.2.3.5", 1), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_ip_filter_add(s + 65536, NULL, NULL, 1), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_ip_filter_add(s, NULL, "1.2.3.5", 1), BTX_ERR_INVALID_ARG, "null ip range");
    CHECK_FAIL(btx_ip_filter_add(s, "1.2.3.4", NULL, 1), BTX_ERR_INVALID_ARG, "null ip range");
    CHECK_FAIL(btx_ip_filter_add(s, NULL, "garbage", 1), BTX_ERR_INVALID_ARG, "null ip range");
    CHECK_FAIL(btx_ip_filter_add(s, "", "1.2.3.5", 1), BTX_ERR_INVALID_ARG, "bad start address");
    CHECK_FAIL(btx_ip_filter_add(s, "1.2.3", "1.2.3.5", 1), BTX_ERR_INVALID_ARG, "bad start address");
    CHECK_FAIL(btx_ip_filter_add(s, "example.com", "bad", 1), BTX_ERR_INVALID_ARG, "bad start address");
    CHECK_FAIL(btx_ip_filter_add(s, "1.2.3.4", "", 1), BTX_ERR_INVALID_ARG, "bad end address");
    CHECK_FAIL(btx_ip_filter_add(s, "1.2.3.4", "1.2.3.256", 1), BTX_ERR_INVALID_ARG, "bad end address");
    CHECK_FAIL(btx_ip_filter_add(s, "::1", "zz::", 0), BTX_ERR_INVALID_ARG, "bad end address");
    CHECK_FAIL(btx_ip_filter_add(s, "1.2.3.4", "::1", 1), BTX_ERR_INVALID_ARG,
               "ip range start/end must be the same family");
    CHECK_FAIL(btx_ip_filter_add(s, "fe80::", "10.0.0.1", 1), BTX_ERR_INVALID_ARG,
               "ip range start/end must be the same family");
    CHECK_OK(btx_ip_filter_add(s, "10.0.0.0", "10.255.255.255", 1));
    CHECK_OK(btx_ip_filter_add(s, "10.1.0.0", "10.1.255.255", 0)); /* a hole in the block */
    CHECK_OK(btx_ip_filter_add(s, "2001:db8::", "2001:db8::ffff", 1));
    CHECK_OK(btx_ip_filter_add(s, "10.9.9.9", "10.0.0.1", 1));    /* start > end is not checked */
    CHECK_FAIL(btx_ip_filter_clear(0), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_ip_filter_clear(s + 1), BTX_ERR_NO_SESSION, "no live session");
    CHECK_OK(btx_ip_filter_clear(s));
    CHECK_OK(btx_ip_filter_clear(s));
}

static void test_deadlines(int s, const char *dir)
{
    int len = 0, t;
    unsigned char *tor = read_vector("torrents/v1_single.torrent", &len);
    CHECK_FAIL(btx_set_piece_deadline(0, 0, 100), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    CHECK_FAIL(btx_set_piece_deadline(65536 + 99, -1, 100), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    CHECK_FAIL(btx_clear_piece_deadlines(0), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    if (tor == NULL) return;
    t = btx_add_torrent_file_ex(s, tor, len, dir, "16", "48");
    CHECK(t > 0, "v1_single added (%d)", t);
    CHECK_FAIL(btx_set_piece_deadline(t, -1, 100), BTX_ERR_INVALID_ARG, "negative piece index");
    CHECK_OK(btx_set_piece_deadline(t, 0, 1000));
    CHECK_OK(btx_set_piece_deadline(t, 64, 0));
    CHECK_OK(btx_set_piece_deadline(t, 100000, 10)); /* past the end: ignored by the engine */
    CHECK_OK(btx_clear_piece_deadlines(t));
    CHECK_OK(btx_remove(s, t, 0));
    CHECK_FAIL(btx_set_piece_deadline(t, 0, 10), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    CHECK_FAIL(btx_clear_piece_deadlines(t), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    /* a magnet without metadata accepts it too */
    t = btx_add_magnet_ex(s, "magnet:?xt=urn:btih:" H_V1, dir, "16", "48");
    CHECK_OK(btx_set_piece_deadline(t, 3, 500));
    CHECK_OK(btx_remove(s, t, 0));
    free(tor);
}

void group_session(void)
{
    char *dir = make_tmpdir("session");
    int s = open_quiet_session();
    if (s > 0) {
        test_pause(s);
        test_listen_port(s);
        test_find(s, dir);
        test_dht_announce(s);
        test_ip_filter(s);
        test_deadlines(s, dir);
        btx_session_free(s);
    }
    rm_rf(dir);
    free(dir);
}
