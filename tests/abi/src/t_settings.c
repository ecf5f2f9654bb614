/* SPDX-License-Identifier: MIT */
/*
 * Group "settings": btx_set_int, btx_set_bool, btx_set_str, btx_get_setting and
 * btx_set_encryption_policy (§4.2): the session's initial values, validation order and
 * texts, the strtoll-then-32-bit parse, class checks, and the flat getter protocol.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

typedef struct setting_ctx { int s; const char *key; } setting_ctx;

static int get_setting_fn(void *ctx, void *out, int cap)
{
    setting_ctx *c = (setting_ctx *)ctx;
    return btx_get_setting(c->s, c->key, (char *)out, cap);
}

#define CHECK_SETTING(s, key, want) do { char v_[512]; setting_str((s), (key), v_, sizeof v_); \
        t_check(strcmp(v_, (want)) == 0, __FILE__, __LINE__, "setting %s: expected \"%s\", got \"%s\"", \
                (key), (want), v_); } while (0)

static void test_initial_values(int s)
{
    /* read before anything is changed: §4.1's session defaults */
    CHECK_SETTING(s, "alert_mask", "3673");
    CHECK_SETTING(s, "user_agent", "TorrentXT/0.1 libtorrent/2.0");
    CHECK_SETTING(s, "listen_interfaces", "0.0.0.0:6881,[::]:6881");
    CHECK_SETTING(s, "connections_limit", "200");
    CHECK_SETTING(s, "in_enc_policy", "1");
    CHECK_SETTING(s, "out_enc_policy", "1");
    CHECK_SETTING(s, "allowed_enc_level", "3");
    CHECK_SETTING(s, "enable_dht", "1");
    CHECK_SETTING(s, "enable_lsd", "1");
    CHECK_SETTING(s, "enable_upnp", "1");
    CHECK_SETTING(s, "enable_natpmp", "1");
    CHECK_SETTING(s, "peer_fingerprint", "-LT2080-");
    CHECK_SETTING(s, "alert_queue_size", "2000");
    CHECK_SETTING(s, "dht_bootstrap_nodes", "dht.libtorrent.org:25401");
    CHECK_SETTING(s, "active_downloads", "3");
    CHECK_SETTING(s, "active_seeds", "5");
    CHECK_SETTING(s, "active_limit", "500");
    CHECK_SETTING(s, "strict_end_game_mode", "1");
    CHECK_SETTING(s, "anonymous_mode", "0");
}

static void test_get_setting(int s)
{
    setting_ctx c;
    char buf[64];
    const char *ua = "TorrentXT/0.1 libtorrent/2.0";
    c.s = s;
    c.key = "user_agent";
    check_flat("btx_get_setting(user_agent)", get_setting_fn, &c, ua, (int)strlen(ua), NULL);
    c.key = "connections_limit";
    check_flat("btx_get_setting(connections_limit)", get_setting_fn, &c, "200", 3, NULL);
    c.key = "enable_natpmp";
    check_flat("btx_get_setting(enable_natpmp)", get_setting_fn, &c, "0", 1, NULL);

    /* silent failures: stale session, NULL or empty key */
    CHECK_SILENT(btx_get_setting(0, "user_agent", buf, (int)sizeof buf), 0);
    CHECK_SILENT(btx_get_setting(s + 65536, "user_agent", buf, (int)sizeof buf), 0);
    CHECK_SILENT(btx_get_setting(-1, "user_agent", buf, (int)sizeof buf), 0);
    CHECK_SILENT(btx_get_setting(s, NULL, buf, (int)sizeof buf), 0);
    CHECK_SILENT(btx_get_setting(s, "", buf, (int)sizeof buf), 0);
    CHECK_SILENT(btx_get_setting(0, "no_such_key", buf, (int)sizeof buf), 0);
    /* unknown key: 0 with a text */
    CHECK_FAIL(btx_get_setting(s, "no_such_key", buf, (int)sizeof buf), 0, "unknown setting key");
    CHECK_FAIL(btx_get_setting(s, "no_such_key", NULL, 0), 0, "unknown setting key");
    CHECK_FAIL(btx_get_setting(s, "USER_AGENT", buf, (int)sizeof buf), 0, "unknown setting key");
}

static void test_set_int(int s)
{
    CHECK_FAIL(btx_set_int(0, "connections_limit", "5"), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_set_int(s + 65536, "connections_limit", "5"), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_set_int(-5, NULL, NULL), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_set_int(s, NULL, "5"), BTX_ERR_INVALID_ARG, "unknown int setting key");
    CHECK_FAIL(btx_set_int(s, "", "5"), BTX_ERR_INVALID_ARG, "unknown int setting key");
    CHECK_FAIL(btx_set_int(s, "no_such_key", "5"), BTX_ERR_INVALID_ARG, "unknown int setting key");
    CHECK_FAIL(btx_set_int(s, "no_such_key", NULL), BTX_ERR_INVALID_ARG, "unknown int setting key");
    CHECK_FAIL(btx_set_int(s, "user_agent", "5"), BTX_ERR_INVALID_ARG, "setting key is not an int");
    CHECK_FAIL(btx_set_int(s, "enable_dht", "0"), BTX_ERR_INVALID_ARG, "setting key is not an int");
    CHECK_FAIL(btx_set_int(s, "user_agent", NULL), BTX_ERR_INVALID_ARG, "setting key is not an int");
    CHECK_FAIL(btx_set_int(s, "connections_limit", NULL), BTX_ERR_INVALID_ARG, "null value");
    CHECK_SETTING(s, "connections_limit", "200");

    CHECK_OK(btx_set_int(s, "connections_limit", "150"));
    CHECK_SETTING(s, "connections_limit", "150");
    /* strtoll then 32-bit two's-complement truncation; never an error */
    CHECK_OK(btx_set_int(s, "download_rate_limit", "99999999999"));
    CHECK_SETTING(s, "download_rate_limit", "1215752191");
    CHECK_OK(btx_set_int(s, "download_rate_limit", "abc"));
    CHECK_SETTING(s, "download_rate_limit", "0");
    CHECK_OK(btx_set_int(s, "download_rate_limit", "  4096xyz"));
    CHECK_SETTING(s, "download_rate_limit", "4096");
    CHECK_OK(btx_set_int(s, "download_rate_limit", "+77"));
    CHECK_SETTING(s, "download_rate_limit", "77");
    CHECK_OK(btx_set_int(s, "download_rate_limit", "4294967297")); /* 2^32 + 1 */
    CHECK_SETTING(s, "download_rate_limit", "1");
    CHECK_OK(btx_set_int(s, "download_rate_limit", "99999999999999999999999")); /* saturates to LLONG_MAX */
    CHECK_SETTING(s, "download_rate_limit", "-1");
    CHECK_OK(btx_set_int(s, "download_rate_limit", ""));
    CHECK_SETTING(s, "download_rate_limit", "0");
    CHECK_OK(btx_set_int(s, "upload_rate_limit", "123456"));
    CHECK_SETTING(s, "upload_rate_limit", "123456");
    CHECK_OK(btx_set_int(s, "upload_rate_limit", "0"));
    CHECK_OK(btx_set_int(s, "download_rate_limit", "0"));
}

static void test_set_bool(int s)
{
    CHECK_FAIL(btx_set_bool(0, "anonymous_mode", 1), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_set_bool(s + 1, "anonymous_mode", 1), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_set_bool(s, NULL, 1), BTX_ERR_INVALID_ARG, "unknown bool setting key");
    CHECK_FAIL(btx_set_bool(s, "", 1), BTX_ERR_INVALID_ARG, "unknown bool setting key");
    CHECK_FAIL(btx_set_bool(s, "no_such_key", 1), BTX_ERR_INVALID_ARG, "unknown bool setting key");
    CHECK_FAIL(btx_set_bool(s, "user_agent", 1), BTX_ERR_INVALID_ARG, "setting key is not a bool");
    CHECK_FAIL(btx_set_bool(s, "connections_limit", 1), BTX_ERR_INVALID_ARG, "setting key is not a bool");

    CHECK_OK(btx_set_bool(s, "strict_end_game_mode", 0));
    CHECK_SETTING(s, "strict_end_game_mode", "0");
    CHECK_OK(btx_set_bool(s, "strict_end_game_mode", 2)); /* any non-zero is true */
    CHECK_SETTING(s, "strict_end_game_mode", "1");
    CHECK_OK(btx_set_bool(s, "strict_end_game_mode", 0));
    CHECK_OK(btx_set_bool(s, "strict_end_game_mode", -1));
    CHECK_SETTING(s, "strict_end_game_mode", "1");
}

static void test_set_str(int s)
{
    CHECK_FAIL(btx_set_str(0, "user_agent", "x"), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_set_str(s, NULL, "x"), BTX_ERR_INVALID_ARG, "unknown string setting key");
    CHECK_FAIL(btx_set_str(s, "", "x"), BTX_ERR_INVALID_ARG, "unknown string setting key");
    CHECK_FAIL(btx_set_str(s, "no_such_key", "x"), BTX_ERR_INVALID_ARG, "unknown string setting key");
    CHECK_FAIL(btx_set_str(s, "connections_limit", "5"), BTX_ERR_INVALID_ARG, "setting key is not a string");
    CHECK_FAIL(btx_set_str(s, "enable_dht", "1"), BTX_ERR_INVALID_ARG, "setting key is not a string");

    CHECK_OK(btx_set_str(s, "user_agent", "abc/1.0 \xc3\xa9"));
    CHECK_SETTING(s, "user_agent", "abc/1.0 \xc3\xa9");
    CHECK_OK(btx_set_str(s, "user_agent", NULL)); /* NULL counts as "" */
    {
        char buf[8];
        gbuf g = gb_new(8);
        CHECK_SILENT(btx_get_setting(s, "user_agent", (char *)gb_ptr(&g), 8), 0); /* empty value: 0 */
        CHECK(gb_untouched(&g), "an empty setting value writes nothing");
        CHECK_SILENT(btx_get_setting(s, "user_agent", NULL, 0), 0);
        gb_free(&g);
        (void)buf;
    }
    CHECK_OK(btx_set_str(s, "user_agent", "TorrentXT/0.1 libtorrent/2.0"));
    CHECK_OK(btx_set_str(s, "handshake_client_version", ""));
}

static void test_encryption(int s)
{
    CHECK_FAIL(btx_set_encryption_policy(0, 1, 1, 3), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_set_encryption_policy(s + 65536, 1, 1, 3), BTX_ERR_NO_SESSION, "no live session");
    /* no range checking: the values are stored as given */
    CHECK_OK(btx_set_encryption_policy(s, 7, 9, 99));
    CHECK_SETTING(s, "in_enc_policy", "7");
    CHECK_SETTING(s, "out_enc_policy", "9");
    CHECK_SETTING(s, "allowed_enc_level", "99");
    CHECK_OK(btx_set_encryption_policy(s, 0, 2, 1));
    CHECK_SETTING(s, "in_enc_policy", "0");
    CHECK_SETTING(s, "out_enc_policy", "2");
    CHECK_SETTING(s, "allowed_enc_level", "1");
    CHECK_OK(btx_set_encryption_policy(s, 1, 1, 3));
    CHECK_SETTING(s, "in_enc_policy", "1");
}

static void test_alert_mask(int s)
{
    /* the mask is an ordinary int setting the app may replace */
    CHECK_OK(btx_set_int(s, "alert_mask", "7868025")); /* 3673 + piece_progress + file_progress */
    CHECK_SETTING(s, "alert_mask", "7868025");
    CHECK_OK(btx_set_int(s, "alert_mask", "3673"));
    CHECK_SETTING(s, "alert_mask", "3673");
}

void group_settings(void)
{
    int s = btx_session_new();
    CHECK(s > 0, "btx_session_new() gives a session (got %d)", s);
    if (s <= 0) return;
    test_initial_values(s);
    quiet_session(s);
    test_get_setting(s);
    test_set_int(s);
    test_set_bool(s);
    test_set_str(s);
    test_encryption(s);
    test_alert_mask(s);
    btx_session_free(s);
    /* settings functions after the free */
    CHECK_FAIL(btx_set_bool(s, "enable_dht", 0), BTX_ERR_NO_SESSION, "no live session");
    CHECK_SILENT(btx_get_setting(s, "user_agent", NULL, 0), 0);
}
