/* SPDX-License-Identifier: MIT */
/*
 * The C conformance harness: a tiny test framework plus helpers shared by the groups.
 *
 * Each group runs in its own process (the runner re-executes itself with --group NAME), so
 * every group starts with pristine library state (no session, empty last error, fresh
 * handle tables) and a crash or hang in one group cannot hide the results of the others.
 */
#ifndef BTX_HARNESS_H
#define BTX_HARNESS_H

#include <stddef.h>
#include "btx_abi.h"
#include "btx_record.h"

/* ---- framework ------------------------------------------------------------------------- */

/* Records one check; prints "FAIL [group] file:line: message" when ok is 0. */
void t_check(int ok, const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Prints a note (not a check) prefixed with the group name. */
void t_note(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Diverts checks into a private count (to prove the harness's own checks can fail);
 * t_capture_end returns how many of the diverted checks failed. */
void t_capture_begin(void);
long t_capture_end(void);

#define CHECK(cond, ...) t_check((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

#define CHECK_INT(expr, expected) do { \
        long long a_ = (long long)(expr); long long e_ = (long long)(expected); \
        t_check(a_ == e_, __FILE__, __LINE__, "%s: expected %lld, got %lld", #expr, e_, a_); \
    } while (0)

#define CHECK_STR(actual, expected) do { \
        const char *a_ = (actual); const char *e_ = (expected); \
        t_check(a_ != NULL && e_ != NULL && strcmp(a_, e_) == 0, __FILE__, __LINE__, \
                "%s: expected \"%s\", got \"%s\"", #actual, e_ ? e_ : "(null)", a_ ? a_ : "(null)"); \
    } while (0)

/* The current last-error text (read through btx_last_error; static storage). */
const char *lasterr(void);

/* Checks the last-error text equals expected. */
#define CHECK_LASTERR(expected) do { \
        const char *l_ = lasterr(); const char *x_ = (expected); \
        t_check(strcmp(l_, x_) == 0, __FILE__, __LINE__, \
                "last error: expected \"%s\", got \"%s\"", x_, l_); \
    } while (0)

/* A failure path: clears the error, runs expr, checks its value and the exact error text. */
#define CHECK_FAIL(expr, rc, text) do { \
        long long a_; btx_clear_error(); a_ = (long long)(expr); \
        t_check(a_ == (long long)(rc), __FILE__, __LINE__, "%s: expected %lld, got %lld", \
                #expr, (long long)(rc), a_); \
        { const char *l_ = lasterr(); \
          t_check(strcmp(l_, (text)) == 0, __FILE__, __LINE__, \
                  "%s: last error expected \"%s\", got \"%s\"", #expr, (text), l_); } \
    } while (0)

/* A failure whose text the contract leaves open: the value, and a non-empty text. */
#define CHECK_FAIL_ANYTEXT(expr, rc) do { \
        long long a_; btx_clear_error(); a_ = (long long)(expr); \
        t_check(a_ == (long long)(rc), __FILE__, __LINE__, "%s: expected %lld, got %lld", \
                #expr, (long long)(rc), a_); \
        t_check(lasterr()[0] != '\0', __FILE__, __LINE__, "%s: expected an error text, got none", #expr); \
    } while (0)

/* A failure whose text starts with prefix. */
#define CHECK_FAIL_PREFIX(expr, rc, prefix) do { \
        long long a_; btx_clear_error(); a_ = (long long)(expr); \
        t_check(a_ == (long long)(rc), __FILE__, __LINE__, "%s: expected %lld, got %lld", \
                #expr, (long long)(rc), a_); \
        { const char *l_ = lasterr(); \
          t_check(strncmp(l_, (prefix), strlen(prefix)) == 0, __FILE__, __LINE__, \
                  "%s: last error expected to start with \"%s\", got \"%s\"", #expr, (prefix), l_); } \
    } while (0)

/* A silent path: sets a sentinel error, runs expr, checks its value and that the error
 * text was not touched. */
#define CHECK_SILENT(expr, rc) do { \
        long long a_; set_sentinel(); a_ = (long long)(expr); \
        t_check(a_ == (long long)(rc), __FILE__, __LINE__, "%s: expected %lld, got %lld", \
                #expr, (long long)(rc), a_); \
        t_check(sentinel_intact(), __FILE__, __LINE__, "%s: must not touch the last error (now \"%s\")", \
                #expr, lasterr()); \
    } while (0)

/* A successful action: returns BTX_OK and leaves the last error alone (set only on failure). */
#define CHECK_OK(expr) CHECK_SILENT(expr, BTX_OK)

/* Sets a known non-empty last error (needs no session) and remembers it. */
void set_sentinel(void);
/* 1 if the last error still equals the sentinel. */
int sentinel_intact(void);

/* ---- guarded buffers ----------------------------------------------------------------- */

#define GUARD 64
#define CANARY 0xAB

/* cap bytes of payload with GUARD canary bytes on each side; everything starts as CANARY. */
typedef struct gbuf {
    unsigned char *raw;
    int cap;          /* payload size (>= 0) */
} gbuf;

gbuf gb_new(int cap);
void gb_free(gbuf *g);
unsigned char *gb_ptr(const gbuf *g);
void gb_fill(gbuf *g, unsigned char v);          /* refills everything with v */
int gb_guards_ok(const gbuf *g);                  /* canaries outside [0,cap) intact */
int gb_untouched_from(const gbuf *g, int from);   /* payload [from,cap) and guards intact */
#define gb_untouched(g) gb_untouched_from((g), 0)

/* ---- output-buffer protocol checks ------------------------------------------------------ */

typedef int (*out_fn)(void *ctx, void *out, int cap);

/* Flat getters (§1.5a). expected may be NULL (content not checked); expected_len < 0 means
 * the length is not known in advance. Returns need; *got (optional, malloc'd, caller
 * frees) receives the content. */
int check_flat(const char *what, out_fn fn, void *ctx, const void *expected, int expected_len,
               unsigned char **got);

#define REC_SINGLE 0 /* one kvrecord */
#define REC_LIST   1 /* n:u16 then n x (bodyLen:u16 kvrecord) */

/* Record getters (§1.5b, §3.4): measure call, NULL with cap > 0, exact fit, larger buffer,
 * cap < 2, and every (or a sample of) partial capacities with the exact expected prefix.
 * Returns total (or -1); *got (optional, malloc'd) receives the full output. */
int check_record(const char *what, out_fn fn, void *ctx, int kind, unsigned char **got);

/* Validates the framing of a kvrecord / list of exactly len bytes (every field's type
 * matches the registry). Returns 1 if well formed. */
int valid_record(const unsigned char *buf, size_t len, const char *what);
int valid_list(const unsigned char *buf, size_t len, const char *what);

/* The registry type of a field id, or -1 when the id is not assigned in v8. */
int field_type(unsigned id);

/* ---- library convenience --------------------------------------------------------------- */

/* Opens a session, checks it, and turns off everything that would reach the network
 * (DHT, LSD, UPnP, NAT-PMP) and listens on 127.0.0.1 only. */
int open_quiet_session(void);
void quiet_session(int s);

/* Calls getter into a malloc'd buffer of the right size; returns the length (or <= 0). */
int get_alloc(out_fn fn, void *ctx, unsigned char **out);

int status_of(int t, unsigned char **out);                       /* btx_torrent_status */
int status_ll(int t, unsigned id, long long *v);                  /* 0 ok */
int status_str(int t, unsigned id, char *dst, size_t n);          /* 0 ok */
/* Polls status field id until it equals want; 1 on success within timeout_ms. */
int wait_status_ll(int t, unsigned id, long long want, int timeout_ms);

int setting_str(int s, const char *key, char *dst, size_t n);    /* btx_get_setting as text */

/* ---- alerts ------------------------------------------------------------------------------ */

typedef struct alert_rec {
    unsigned type;
    unsigned char *body;   /* the kvrecord */
    size_t len;
} alert_rec;

typedef struct alert_log {
    alert_rec *items;
    size_t n, cap;
} alert_log;

/* Drains once with a 64 KiB buffer (growing on -needed) into log; validates framing. Returns
 * the number of records taken. */
int drain_once(int s, alert_log *log);
/* Drains repeatedly until an alert of type for torrent (torrent < 0: any) is in the log,
 * or timeout_ms passes. Returns its index or -1. */
int wait_alert(int s, alert_log *log, unsigned type, long long torrent, int timeout_ms);
int find_alert(const alert_log *log, size_t from, unsigned type, long long torrent);
/* Parses a drain buffer (count records, cap bytes), checking its framing; appends to log. */
int take_drain(const unsigned char *buf, int cap, int count, alert_log *log);
long long alert_torrent(const alert_rec *a);
void log_free(alert_log *log);

/* ---- files and misc ------------------------------------------------------------------ */

unsigned char *read_file(const char *path, int *len);            /* malloc'd, NULL if missing */
const char *vectors_dir(void);                                    /* BTX_VECTORS or default */
unsigned char *read_vector(const char *rel, int *len);           /* read_file(vectors/rel) */
char *make_tmpdir(const char *tag);                               /* malloc'd absolute path */
void rm_rf(const char *path);
int write_file(const char *path, const void *data, size_t len);   /* creates parent dirs */
int mkdirs(const char *path);
void sleep_ms(int ms);
long long now_ms(void);
void hex_of(const unsigned char *bytes, size_t n, char *out);     /* out gets 2n+1 chars */
int mem_eq_str(const unsigned char *buf, int len, const char *s);

/* SHA-1 / SHA-256 (sha.c) */
void sha1(const void *data, size_t len, unsigned char out[20]);
void sha256(const void *data, size_t len, unsigned char out[32]);

/* ---- groups ------------------------------------------------------------------------------ */

void group_record(void);
void group_selftest(void);
void group_lifecycle(void);
void group_settings(void);
void group_session(void);
void group_add(void);
void group_control(void);
void group_inspect(void);
void group_trackers(void);
void group_alerts(void);
void group_dht(void);
void group_create(void);
void group_stale(void);

#endif /* BTX_HARNESS_H */
