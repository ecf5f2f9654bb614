/* SPDX-License-Identifier: MIT */
/* Helpers shared by the groups: last error, guarded buffers, files, time, sessions. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* ---- last error ------------------------------------------------------------------------ */

static char g_lasterr[8192];
static char g_sentinel[512];

const char *lasterr(void)
{
    int n = btx_last_error(g_lasterr, (int)sizeof g_lasterr - 1);
    if (n < 0 || n > (int)sizeof g_lasterr - 1) n = 0;
    g_lasterr[n] = '\0';
    return g_lasterr;
}

void set_sentinel(void)
{
    /* a failure that needs no session; fall back to one that needs no live session */
    btx_clear_error();
    (void)btx_dht_keypair("not-hex", NULL, 0);
    if (lasterr()[0] == '\0') (void)btx_set_int(0, "connections_limit", "1");
    snprintf(g_sentinel, sizeof g_sentinel, "%.*s", (int)sizeof g_sentinel - 1, lasterr());
}

int sentinel_intact(void)
{
    return strcmp(lasterr(), g_sentinel) == 0;
}

/* ---- guarded buffers ------------------------------------------------------------------- */

gbuf gb_new(int cap)
{
    gbuf g;
    if (cap < 0) cap = 0;
    g.cap = cap;
    g.raw = (unsigned char *)malloc((size_t)cap + 2 * GUARD);
    if (g.raw == NULL) { perror("malloc"); exit(3); }
    memset(g.raw, CANARY, (size_t)cap + 2 * GUARD);
    return g;
}

void gb_free(gbuf *g)
{
    free(g->raw);
    g->raw = NULL;
}

unsigned char *gb_ptr(const gbuf *g) { return g->raw + GUARD; }

void gb_fill(gbuf *g, unsigned char v) { memset(g->raw, v, (size_t)g->cap + 2 * GUARD); }

int gb_guards_ok(const gbuf *g)
{
    int i;
    for (i = 0; i < GUARD; i++)
        if (g->raw[i] != CANARY || g->raw[GUARD + g->cap + i] != CANARY) return 0;
    return 1;
}

int gb_untouched_from(const gbuf *g, int from)
{
    int i;
    if (!gb_guards_ok(g)) return 0;
    for (i = from < 0 ? 0 : from; i < g->cap; i++)
        if (g->raw[GUARD + i] != CANARY) return 0;
    return 1;
}

/* ---- files --------------------------------------------------------------------------------- */

unsigned char *read_file(const char *path, int *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long n;
    *len = 0;
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = (unsigned char *)malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = 0;
    *len = (int)n;
    return buf;
}

const char *vectors_dir(void)
{
    const char *v = getenv("BTX_VECTORS");
    return (v != NULL && v[0] != '\0') ? v : "../shared/vectors";
}

unsigned char *read_vector(const char *rel, int *len)
{
    char path[4096];
    unsigned char *b;
    snprintf(path, sizeof path, "%s/%s", vectors_dir(), rel);
    b = read_file(path, len);
    CHECK(b != NULL, "test vector %s is readable (set BTX_VECTORS)", path);
    return b;
}

int mkdirs(const char *path)
{
    char tmp[4096];
    size_t i, n = strlen(path);
    if (n >= sizeof tmp) return -1;
    memcpy(tmp, path, n + 1);
    for (i = 1; i < n; i++) {
        if (tmp[i] == '/') {
            tmp[i] = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
            tmp[i] = '/';
        }
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

int write_file(const char *path, const void *data, size_t len)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    FILE *f;
    if (slash != NULL && slash != path) {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir) return -1;
        memcpy(dir, path, n);
        dir[n] = '\0';
        if (mkdirs(dir) != 0) return -1;
    }
    f = fopen(path, "wb");
    if (f == NULL) return -1;
    if (len > 0 && fwrite(data, 1, len, f) != len) { fclose(f); return -1; }
    return fclose(f) == 0 ? 0 : -1;
}

char *make_tmpdir(const char *tag)
{
    const char *base = getenv("BTX_TMP");
    char tmpl[4096];
    char *p;
    if (base == NULL || base[0] == '\0') base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0') base = "/tmp";
    mkdirs(base);
    snprintf(tmpl, sizeof tmpl, "%s/btxabi-%s-XXXXXX", base, tag);
    p = mkdtemp(tmpl);
    if (p == NULL) { perror("mkdtemp"); exit(3); }
    if (p[0] != '/') {
        char cwd[2048], abs[4096];
        if (getcwd(cwd, sizeof cwd) == NULL) exit(3);
        snprintf(abs, sizeof abs, "%s/%s", cwd, p);
        return strdup(abs);
    }
    return strdup(p);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

void rm_rf(const char *path)
{
    if (path != NULL && path[0] != '\0' && strcmp(path, "/") != 0)
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- time and text ------------------------------------------------------------------ */

void sleep_ms(int ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) { }
}

long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void hex_of(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

int mem_eq_str(const unsigned char *buf, int len, const char *s)
{
    return len >= 0 && (size_t)len == strlen(s) && memcmp(buf, s, (size_t)len) == 0;
}

/* ---- sessions and getters ------------------------------------------------------------- */

void quiet_session(int s)
{
    /* nothing may leave this machine: no DHT, LSD, UPnP or NAT-PMP, loopback only */
    CHECK_INT(btx_set_bool(s, "enable_dht", 0), 0);
    CHECK_INT(btx_set_bool(s, "enable_lsd", 0), 0);
    CHECK_INT(btx_set_bool(s, "enable_upnp", 0), 0);
    CHECK_INT(btx_set_bool(s, "enable_natpmp", 0), 0);
    CHECK_INT(btx_set_str(s, "dht_bootstrap_nodes", ""), 0);
    CHECK_INT(btx_set_str(s, "listen_interfaces", "127.0.0.1:0"), 0);
}

int open_quiet_session(void)
{
    int s = btx_session_new();
    CHECK(s > 0, "btx_session_new() returns a handle (got %d, last error \"%s\")", s, lasterr());
    if (s > 0) quiet_session(s);
    return s;
}

int get_alloc(out_fn fn, void *ctx, unsigned char **out)
{
    int cap = 4096, tries;
    *out = NULL;
    for (tries = 0; tries < 4; tries++) {
        unsigned char *b = (unsigned char *)malloc((size_t)cap + 1);
        int n;
        if (b == NULL) return 0;
        n = fn(ctx, b, cap);
        if (n >= 0) { *out = b; return n; }
        free(b);
        cap = -n + 64;
    }
    return 0;
}

static int status_fn(void *ctx, void *out, int cap) { return btx_torrent_status(*(int *)ctx, out, cap); }

int status_of(int t, unsigned char **out) { return get_alloc(status_fn, &t, out); }

int status_ll(int t, unsigned id, long long *v)
{
    unsigned char *b;
    int n = status_of(t, &b), r = -1;
    if (n > 0) r = btx_rec_get_ll(b, (size_t)n, id, v);
    free(b);
    return r;
}

int status_str(int t, unsigned id, char *dst, size_t cap)
{
    unsigned char *b;
    int n = status_of(t, &b), r = -1;
    if (cap > 0) dst[0] = '\0';
    if (n > 0) r = btx_rec_get_str(b, (size_t)n, id, dst, cap) >= 0 ? 0 : -1;
    free(b);
    return r;
}

int wait_status_ll(int t, unsigned id, long long want, int timeout_ms)
{
    long long end = now_ms() + timeout_ms, v;
    for (;;) {
        if (status_ll(t, id, &v) == 0 && v == want) return 1;
        if (now_ms() >= end) return 0;
        sleep_ms(20);
    }
}

int setting_str(int s, const char *key, char *dst, size_t cap)
{
    int n = btx_get_setting(s, key, dst, (int)cap - 1);
    if (n < 0 || (size_t)n >= cap) { dst[0] = '\0'; return n; }
    dst[n] = '\0';
    return n;
}

/* ---- alerts --------------------------------------------------------------------------------- */

long long alert_torrent(const alert_rec *a)
{
    long long v = -1;
    if (btx_rec_get_ll(a->body, a->len, BTX_F_EVT_TORRENT, &v) != 0) return -1;
    return v;
}

static void log_push(alert_log *log, unsigned type, const unsigned char *body, size_t len)
{
    if (log->n == log->cap) {
        size_t nc = log->cap ? log->cap * 2 : 64;
        alert_rec *p = (alert_rec *)realloc(log->items, nc * sizeof *p);
        if (p == NULL) exit(3);
        log->items = p;
        log->cap = nc;
    }
    log->items[log->n].type = type;
    log->items[log->n].body = (unsigned char *)malloc(len ? len : 1);
    if (log->items[log->n].body == NULL) exit(3);
    memcpy(log->items[log->n].body, body, len);
    log->items[log->n].len = len;
    log->n++;
}

void log_free(alert_log *log)
{
    size_t i;
    for (i = 0; i < log->n; i++) free(log->items[i].body);
    free(log->items);
    log->items = NULL;
    log->n = log->cap = 0;
}

/* Walks a drain of count records in buf (cap bytes), checking framing; appends to log. */
int take_drain(const unsigned char *buf, int cap, int count, alert_log *log)
{
    btx_alert_iter it;
    btx_rec_iter rec;
    unsigned type;
    int r, taken = 0;
    if (btx_alert_init(&it, buf, (size_t)cap) != 0) {
        CHECK(0, "drain: header missing");
        return 0;
    }
    CHECK((int)it.count == count, "drain: header count %u equals the return value %d", it.count, count);
    while ((r = btx_alert_next(&it, &type, &rec)) == 1) {
        btx_field f;
        int fr, first = 1;
        CHECK(type >= 1 && type <= 24, "drain: alert code %u is a v8 code", type);
        while ((fr = btx_rec_next_field(&rec, &f)) == 1) {
            if (first) CHECK(f.id == BTX_F_EVT_TORRENT, "drain: alert %u starts with field 60 (got %u)", type, f.id);
            first = 0;
            CHECK(field_type(f.id) == (int)f.type, "drain: alert %u field %u has the registry type (got %u)",
                  type, f.id, f.type);
        }
        CHECK(fr == 0 && rec.pos == rec.len, "drain: alert %u record fills its bodyLen exactly", type);
        CHECK(!first, "drain: alert %u has at least field 60", type);
        log_push(log, type, rec.buf, rec.len);
        taken++;
    }
    CHECK(r == 0, "drain: entries are well formed");
    return taken;
}

int drain_once(int s, alert_log *log)
{
    static unsigned char *buf = NULL;
    static int cap = 0;
    int n;
    if (buf == NULL) {
        cap = 65536;
        buf = (unsigned char *)malloc((size_t)cap);
        if (buf == NULL) exit(3);
    }
    n = btx_pop_alerts(s, buf, cap);
    if (n < 0) {
        /* grow once, as script does */
        unsigned char *nb = (unsigned char *)realloc(buf, (size_t)-n);
        if (nb == NULL) exit(3);
        buf = nb;
        cap = -n;
        n = btx_pop_alerts(s, buf, cap);
        CHECK(n >= 1, "drain: after growing to the size asked for, a record fits (got %d)", n);
        if (n < 0) return 0;
    }
    if (n == 0) return 0;
    return take_drain(buf, cap, n, log);
}

int find_alert(const alert_log *log, size_t from, unsigned type, long long torrent)
{
    size_t i;
    for (i = from; i < log->n; i++)
        if (log->items[i].type == type && (torrent < 0 || alert_torrent(&log->items[i]) == torrent))
            return (int)i;
    return -1;
}

int wait_alert(int s, alert_log *log, unsigned type, long long torrent, int timeout_ms)
{
    long long end = now_ms() + timeout_ms;
    for (;;) {
        int i = find_alert(log, 0, type, torrent);
        if (i >= 0) return i;
        if (now_ms() >= end) return -1;
        if (drain_once(s, log) == 0) sleep_ms(25);
    }
}
