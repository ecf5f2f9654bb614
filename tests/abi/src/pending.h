/* SPDX-License-Identifier: MIT */
/*
 * Capabilities this build does not have yet, one switch each.
 *
 * The project's rule for a function whose capability a later issue adds: it validates its
 * arguments exactly as the contract says (those checks apply in both modes), then refuses
 * honestly:
 *   - actions return -1 (BTX_ERR_GENERIC) with a last error containing "not available yet" or
 *     "not supported yet";
 *   - btx_add_with_resume returns 0 with "add_torrent failed: ...not supported yet...";
 *   - btx_listen_port returns 0 (not listening), silently, as the contract's getter does.
 *
 * While a switch is 1, the checks that need its capability are replaced (under #else) by
 * checks of that honest refusal, so a build that pretends to succeed, or fails some other way,
 * still fails the harness. The issue that implements the capability sets its switch to 0; the
 * contract checks under `#if !BTX_PENDING_X` then apply unchanged. A switch can also be set from
 * the compiler command line (-DBTX_PENDING_DHT=0) to try an implementation in progress.
 */
#ifndef BTX_PENDING_H
#define BTX_PENDING_H

#include <string.h>

/* No listen socket: btx_listen_port is 0, no listenSucceeded alert. */
#ifndef BTX_PENDING_LISTEN
#define BTX_PENDING_LISTEN 0
#endif

/* 1 = no DHT node: btx_dht_announce, btx_dht_add_bootstrap, btx_dht_load_state (well-formed input),
 * btx_dht_get_immutable, btx_dht_put_mutable and btx_dht_get_mutable refuse. 0 since the DHT issue. */
#ifndef BTX_PENDING_DHT
#define BTX_PENDING_DHT 0
#endif

/* No tracker client: btx_force_reannounce and btx_scrape_tracker refuse. */
#ifndef BTX_PENDING_TRACKERS
#define BTX_PENDING_TRACKERS 0
#endif

/* No resume data: btx_add_with_resume (well-formed blobs) and btx_save_resume refuse. */
#ifndef BTX_PENDING_RESUME
#define BTX_PENDING_RESUME 0
#endif

/* No storage moves: btx_move_storage refuses. */
#ifndef BTX_PENDING_STORAGE
#define BTX_PENDING_STORAGE 0
#endif

#define BTX_PENDING_MARK_AVAILABLE "not available yet"
#define BTX_PENDING_MARK_SUPPORTED "not supported yet"

/* 1 if text is non-empty, starts with prefix and contains mark (mark NULL: either marker). */
static inline int pending_text_ok(const char *text, const char *prefix, const char *mark)
{
    if (text == NULL || text[0] == '\0') return 0;
    if (prefix != NULL && strncmp(text, prefix, strlen(prefix)) != 0) return 0;
    if (mark != NULL) return strstr(text, mark) != NULL;
    return strstr(text, BTX_PENDING_MARK_AVAILABLE) != NULL || strstr(text, BTX_PENDING_MARK_SUPPORTED) != NULL;
}

/* An honest refusal: clears the error, runs expr, checks the exact value rc and a last error
 * that starts with prefix (may be NULL) and names what is missing (mark, or either marker when
 * NULL); then clears the error so later checks start clean. */
#define CHECK_PENDING_TEXT(expr, rc, prefix, mark) do { \
        long long a_; const char *l_; btx_clear_error(); a_ = (long long)(expr); \
        t_check(a_ == (long long)(rc), __FILE__, __LINE__, "pending %s: expected %lld, got %lld", \
                #expr, (long long)(rc), a_); \
        l_ = lasterr(); \
        t_check(pending_text_ok(l_, (prefix), (mark)), __FILE__, __LINE__, \
                "pending %s: last error must name what is missing (\"%s%s\"), got \"%s\"", #expr, \
                (prefix) ? (const char *)(prefix) : "", \
                (mark) ? (const char *)(mark) : "not available yet\" or \"not supported yet", l_); \
        btx_clear_error(); \
    } while (0)

/* An action of a pending capability: -1 with a text naming what is missing. */
#define CHECK_PENDING(expr) CHECK_PENDING_TEXT(expr, BTX_ERR_GENERIC, NULL, NULL)

/* btx_add_with_resume while resume data is pending: 0, "add_torrent failed: ...not supported yet...". */
#define CHECK_PENDING_ADD(expr) CHECK_PENDING_TEXT(expr, 0, "add_torrent failed: ", BTX_PENDING_MARK_SUPPORTED)

#endif /* BTX_PENDING_H */
