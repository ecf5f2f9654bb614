/* SPDX-License-Identifier: MIT */
/*
 * Group "lifecycle": btx_abi_version, btx_session_new/free, the single-session rule, the
 * last-error rules (§1.7), and the handle layout (§2, with D12: torrent handles are
 * process-wide, so a handle from a freed session is stale in the next one).
 * Runs in a fresh process, so the very first handles are observable.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SESSION_LIVE_TEXT "a session is already live; free it before opening another"

static int last_error_fn(void *ctx, void *out, int cap) { (void)ctx; return btx_last_error((char *)out, cap); }

static char *magnet_for(int i, char *buf, size_t n)
{
    /* distinct made-up v1 hashes; no trackers, so nothing to contact */
    snprintf(buf, n, "magnet:?xt=urn:btih:%08x00000000000000000000000000000000&dn=lc%d", 0xabc00000u + (unsigned)i, i);
    return buf;
}

static void test_fresh_process(void)
{
    gbuf g = gb_new(32);
    CHECK_INT(btx_abi_version(), BTX_ABI_VERSION);
    CHECK_INT(btx_abi_version(), 8);
    /* the last error starts empty: 0, nothing written */
    CHECK_INT(btx_last_error(NULL, 0), 0);
    CHECK_INT(btx_last_error((char *)gb_ptr(&g), 32), 0);
    CHECK(gb_untouched(&g), "an empty last error writes nothing");
    btx_clear_error();
    CHECK_INT(btx_last_error((char *)gb_ptr(&g), 32), 0);
    gb_free(&g);
    /* freeing what was never a session is a silent no-op */
    btx_session_free(0);
    btx_session_free(-1);
    btx_session_free(65536);
    btx_session_free(INT_MAX);
    btx_session_free(INT_MIN);
    CHECK_INT(btx_last_error(NULL, 0), 0);
    /* nothing is live yet */
    CHECK_SILENT(btx_torrent_count(65536), 0);
    CHECK_SILENT(btx_session_is_paused(65536), 0);
}

static void test_single_session_and_errors(void)
{
    int s1, s2, s3;
    char buf[128];

    btx_clear_error();
    s1 = btx_session_new();
    CHECK_INT(s1, 65536);
    if (s1 <= 0) return;
    quiet_session(s1);
    CHECK_INT(btx_last_error(NULL, 0), 0); /* success paths never set it */

    CHECK_FAIL(btx_session_new(), 0, SESSION_LIVE_TEXT);
    /* the exact text through the flat protocol */
    check_flat("btx_last_error", last_error_fn, NULL, SESSION_LIVE_TEXT, (int)strlen(SESSION_LIVE_TEXT), NULL);
    /* a successful call leaves it in place (set only on failure) */
    CHECK_INT(btx_set_bool(s1, "enable_lsd", 0), 0);
    CHECK_LASTERR(SESSION_LIVE_TEXT);
    CHECK_INT(btx_session_is_paused(s1), 0);
    CHECK_INT(btx_torrent_count(s1), 0);
    CHECK_LASTERR(SESSION_LIVE_TEXT);
    /* a different failure overwrites it completely */
    CHECK_INT(btx_set_int(s1, "no_such_setting_xyz", "1"), BTX_ERR_INVALID_ARG);
    CHECK_LASTERR("unknown int setting key");
    /* only btx_clear_error empties it */
    btx_clear_error();
    CHECK_INT(btx_last_error(NULL, 0), 0);
    CHECK_INT(btx_last_error(buf, (int)sizeof buf), 0);

    /* a bogus free does not touch the live session */
    btx_session_free(s1 + 65536);
    btx_session_free(s1 + 1);
    CHECK_INT(btx_session_pause(s1), 0);
    CHECK_INT(btx_session_is_paused(s1), 1);
    CHECK_INT(btx_session_resume(s1), 0);

    /* free: stale at once, idempotent, and the error survives it */
    CHECK_FAIL(btx_session_new(), 0, SESSION_LIVE_TEXT);
    btx_session_free(s1);
    CHECK_LASTERR(SESSION_LIVE_TEXT);
    btx_session_free(s1);
    CHECK_FAIL(btx_set_int(s1, "connections_limit", "10"), BTX_ERR_NO_SESSION, "no live session");
    CHECK_SILENT(btx_torrent_count(s1), 0);
    CHECK_SILENT(btx_session_is_paused(s1), 0);

    /* the next sessions reuse slot 0 with the next generation */
    s2 = btx_session_new();
    CHECK_INT(s2, 131072);
    if (s2 <= 0) return;
    quiet_session(s2);
    CHECK_FAIL(btx_session_pause(s1), BTX_ERR_NO_SESSION, "no live session");
    CHECK_OK(btx_session_pause(s2));
    btx_session_free(s2);
    s3 = btx_session_new();
    CHECK_INT(s3, 196608);
    if (s3 > 0) btx_session_free(s3);
}

static void test_torrent_handles(void)
{
    int s, a, b, c, d, e, i, handles[8];
    char m[128];

    s = open_quiet_session();
    if (s <= 0) return;
    a = btx_add_magnet(s, magnet_for(1, m, sizeof m), NULL);
    b = btx_add_magnet(s, magnet_for(2, m, sizeof m), NULL);
    c = btx_add_magnet(s, magnet_for(3, m, sizeof m), NULL);
    CHECK_INT(a, 65536);
    CHECK_INT(b, 65537);
    CHECK_INT(c, 65538);
    CHECK_INT(btx_torrent_count(s), 3);

    /* removing A frees slot 0 with the next generation; D reuses it */
    CHECK_OK(btx_remove(s, a, 0));
    CHECK_INT(btx_torrent_count(s), 2);
    CHECK_FAIL(btx_pause(a), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    d = btx_add_magnet(s, magnet_for(4, m, sizeof m), NULL);
    CHECK_INT(d, 131072);
    CHECK_INT(btx_torrent_count(s), 3);
    /* a stale handle stays stale although its slot is live again */
    CHECK_FAIL(btx_pause(a), BTX_ERR_BAD_HANDLE, "bad torrent handle");
    CHECK_SILENT(btx_info_hash_hex(a, m, (int)sizeof m), 0);

    /* enumeration is in ascending slot order, not insertion order */
    CHECK_INT(btx_torrent_handle_at(s, 0), d);
    CHECK_INT(btx_torrent_handle_at(s, 1), b);
    CHECK_INT(btx_torrent_handle_at(s, 2), c);
    CHECK_SILENT(btx_torrent_handle_at(s, 3), 0);
    CHECK_SILENT(btx_torrent_handle_at(s, -1), 0);
    CHECK_SILENT(btx_torrent_handle_at(s, INT_MAX), 0);
    CHECK_SILENT(btx_torrent_handle_at(s + 65536, 0), 0);

    /* D12: after the session is freed, its torrent handles are stale in the next session,
     * and the next session never hands one of them out again */
    handles[0] = a; handles[1] = b; handles[2] = c; handles[3] = d;
    btx_session_free(s);
    s = open_quiet_session();
    if (s <= 0) return;
    e = btx_add_magnet(s, magnet_for(5, m, sizeof m), NULL);
    CHECK(e > 0, "a torrent can be added in the next session (got %d)", e);
    for (i = 0; i < 4; i++) {
        CHECK(e != handles[i], "D12: the new session's first torrent (%d) is not old handle %d", e, handles[i]);
        CHECK_FAIL(btx_pause(handles[i]), BTX_ERR_BAD_HANDLE, "bad torrent handle");
        CHECK_SILENT(btx_queue_position(handles[i]), -1);
    }
    CHECK(e >= 131072, "D12: the reused slot's generation went up (handle %d)", e);
    CHECK_INT(btx_torrent_count(s), 1);
    CHECK_INT(btx_torrent_handle_at(s, 0), e);
    btx_session_free(s);
}

void group_lifecycle(void)
{
    test_fresh_process();
    test_single_session_and_errors();
    test_torrent_handles();
}
