/* SPDX-License-Identifier: MIT
 * btx-cli: a small command-line BitTorrent client over the TorrentXT C ABI (btx_abi.h).
 *
 *   btx-cli create   <path> <out.torrent> [tracker...]
 *   btx-cli info     <file.torrent>
 *   btx-cli seed     <file.torrent> <dir> [--port N] [--exit-after-upload] [--seconds N]
 *   btx-cli download <magnet|file.torrent> <dir> [--timeout S]
 *
 * Every session is local only: DHT, LSD, UPnP and NAT-PMP off, listening on 127.0.0.1.
 * Peers come from a magnet's x.pe= parameter or the torrent's trackers and web seeds, and
 * `seed` prints a magnet that names its own address for `download` to use.
 * Build:
 *   gcc -std=c11 -Wall -Wextra -Werror -I dist/linux-x64/include examples/btx-cli.c \
 *       -L dist/linux-x64 -ltorrentxt -Wl,-rpath,"$PWD/dist/linux-x64" -o btx-cli
 * Exit codes: 0 success, 1 failure (error printed), 2 bad usage, 3 timeout, 130 interrupted. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "btx_abi.h"
#include "btx_record.h"

#define EXIT_USAGE 2
#define EXIT_TIMEOUT 3
#define EXIT_INTERRUPTED 130

static volatile sig_atomic_t g_stop = 0;
static void on_signal(int sig) { (void)sig; g_stop = 1; }

static void install_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !g_stop) { }
}

static void print_last_error(const char *what) {
    char text[1024];
    int n = btx_last_error(text, (int)sizeof text - 1);
    text[n > 0 ? n : 0] = '\0';
    fprintf(stderr, "%s failed: %s\n", what, n > 0 ? text : "(no error text)");
}

/* ---- small helpers ------------------------------------------------------------------- */

static unsigned char *read_file(const char *path, int *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno)); return NULL; }
    unsigned char *buf = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size <= 0 || size > 0x7fffffffL || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "cannot read %s (empty or too large)\n", path);
    } else if ((buf = malloc((size_t)size)) != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) *len = (int)size;
    return buf;
}

/* Calls a record/list getter with the grow-and-retry rule: a negative result is -needed. */
typedef int (*btx_getter)(int t, void *out, int cap);
static unsigned char *get_grow(btx_getter fn, int t, int *len) {
    int cap = 4096;
    for (int tries = 0; tries < 8; tries++) {
        unsigned char *buf = malloc((size_t)cap);
        if (!buf) return NULL;
        int n = fn(t, buf, cap);
        if (n > 0) { *len = n; return buf; }
        free(buf);
        if (n == 0) return NULL;
        cap = -n;
    }
    return NULL;
}

static void human_bytes(double v, char *out, size_t cap) {
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (v >= 1024.0 && u < 4) { v /= 1024.0; u++; }
    snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static const char *state_name(long long st) {
    switch (st) {
    case BTX_STATE_QUEUED_FOR_CHECKING: return "queued";
    case BTX_STATE_CHECKING_FILES: return "checking";
    case BTX_STATE_DOWNLOADING_METADATA: return "metadata";
    case BTX_STATE_DOWNLOADING: return "downloading";
    case BTX_STATE_FINISHED: return "finished";
    case BTX_STATE_SEEDING: return "seeding";
    case BTX_STATE_ALLOCATING: return "allocating";
    case BTX_STATE_CHECKING_RESUME_DATA: return "checking-resume";
    default: return "unknown";
    }
}

/* The fields of one btx_torrent_status snapshot that the commands show. */
typedef struct status {
    int ok;
    long long state, down_rate, up_rate, done, wanted, peers, eta, uploaded, total_size;
    long long num_pieces, piece_length;
    double progress;
    char name[512], v1[41], v2[65], error[512];
} status;

static status get_status(int t) {
    status st;
    memset(&st, 0, sizeof st);
    st.eta = -1;
    int n = 0;
    unsigned char *buf = get_grow(btx_torrent_status, t, &n);
    if (!buf) return st;
    size_t len = (size_t)n;
    st.ok = btx_rec_get_ll(buf, len, BTX_F_STATE, &st.state) == 0;
    btx_rec_get_ll(buf, len, BTX_F_DOWNLOAD_RATE, &st.down_rate);
    btx_rec_get_ll(buf, len, BTX_F_UPLOAD_RATE, &st.up_rate);
    btx_rec_get_ll(buf, len, BTX_F_TOTAL_DONE, &st.done);
    btx_rec_get_ll(buf, len, BTX_F_TOTAL_WANTED, &st.wanted);
    btx_rec_get_ll(buf, len, BTX_F_NUM_PEERS, &st.peers);
    btx_rec_get_ll(buf, len, BTX_F_ETA, &st.eta);
    btx_rec_get_ll(buf, len, BTX_F_ALL_TIME_UPLOAD, &st.uploaded);
    btx_rec_get_ll(buf, len, BTX_F_TOTAL_SIZE, &st.total_size);
    btx_rec_get_ll(buf, len, BTX_F_NUM_PIECES, &st.num_pieces);
    btx_rec_get_ll(buf, len, BTX_F_PIECE_LENGTH, &st.piece_length);
    btx_rec_get_str(buf, len, BTX_F_NAME, st.name, sizeof st.name);
    btx_rec_get_str(buf, len, BTX_F_INFO_HASH_V1, st.v1, sizeof st.v1);
    btx_rec_get_str(buf, len, BTX_F_INFO_HASH_V2, st.v2, sizeof st.v2);
    btx_rec_get_str(buf, len, BTX_F_ERROR, st.error, sizeof st.error);
    /* progress is real text ("%.6g"); strtod on a NUL-terminated copy reads it safely */
    char prog[32];
    if (btx_rec_get_str(buf, len, BTX_F_PROGRESS, prog, sizeof prog) > 0) st.progress = strtod(prog, NULL);
    free(buf);
    return st;
}

/* ---- the session and its alerts ------------------------------------------------------ */

static int open_session(int port) {
    int s = btx_session_new();
    if (s <= 0) { print_last_error("btx_session_new"); return 0; }
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    if (btx_set_bool(s, "enable_dht", 0) != BTX_OK || btx_set_bool(s, "enable_lsd", 0) != BTX_OK ||
        btx_set_bool(s, "enable_upnp", 0) != BTX_OK || btx_set_bool(s, "enable_natpmp", 0) != BTX_OK ||
        btx_set_str(s, "listen_interfaces", listen) != BTX_OK) {
        print_last_error("session settings");
        btx_session_free(s);
        return 0;
    }
    return s;
}

/* Drains every pending alert, printing the errors. Returns 1 if a torrentError or
 * fileError arrived (fatal for a download), else 0. */
static int drain_alerts(int s) {
    static unsigned char *buf = NULL;
    static int cap = 0;
    int fatal = 0;
    if (!buf) { cap = 65536; buf = malloc((size_t)cap); if (!buf) return 0; }
    for (int rounds = 0; rounds < 16; rounds++) {
        int n = btx_pop_alerts(s, buf, cap);
        if (n < 0) { /* the oldest record alone needs -n bytes */
            unsigned char *bigger = realloc(buf, (size_t)-n);
            if (!bigger) return fatal;
            buf = bigger;
            cap = -n;
            continue;
        }
        if (n == 0) return fatal;
        btx_alert_iter it;
        btx_rec_iter rec;
        unsigned type;
        if (btx_alert_init(&it, buf, (size_t)cap) != 0) return fatal;
        while (btx_alert_next(&it, &type, &rec) == 1) {
            if (type != BTX_A_TORRENT_ERROR && type != BTX_A_FILE_ERROR && type != BTX_A_LISTEN_FAILED &&
                type != BTX_A_TRACKER_ERROR && type != BTX_A_FASTRESUME_REJECTED)
                continue;
            char msg[512] = "", err[512] = "";
            btx_field f;
            while (btx_rec_next_field(&rec, &f) == 1) {
                if (f.id == BTX_F_EVT_MESSAGE) btx_field_str(&f, msg, sizeof msg);
                else if (f.id == BTX_F_EVT_ERROR_MESSAGE) btx_field_str(&f, err, sizeof err);
            }
            fprintf(stderr, "\nerror (alert %u): %s%s%s\n", type, msg, err[0] ? ": " : "", err);
            if (type == BTX_A_TORRENT_ERROR || type == BTX_A_FILE_ERROR) fatal = 1;
        }
    }
    return fatal;
}

/* The bound port; listening starts asynchronously, so poll briefly. */
static int wait_listen_port(int s) {
    for (int i = 0; i < 500 && !g_stop; i++) {
        int port = btx_listen_port(s);
        if (port > 0) return port;
        drain_alerts(s);
        sleep_ms(10);
    }
    return 0;
}

static int add_torrent_path(int s, const char *path, const char *save, const char *flags, const char *mask) {
    int len = 0;
    unsigned char *data = read_file(path, &len);
    if (!data) return 0;
    int t = btx_add_torrent_file_ex(s, data, len, save, flags, mask);
    free(data);
    if (t <= 0) print_last_error("btx_add_torrent_file");
    return t;
}

/* ---- create -------------------------------------------------------------------------- */

static int cmd_create(int argc, char **argv) {
    if (argc < 2) return EXIT_USAGE;
    /* one tracker per line = one tier each */
    size_t tlen = 1;
    for (int i = 2; i < argc; i++) tlen += strlen(argv[i]) + 1;
    char *trackers = calloc(1, tlen);
    if (!trackers) return 1;
    for (int i = 2; i < argc; i++) { strcat(trackers, argv[i]); if (i + 1 < argc) strcat(trackers, "\n"); }

    /* Grow-and-retry: the first call measures (returns minus the size needed). */
    int need = btx_create_torrent(argv[0], 0, 0, trackers, NULL, 0);
    if (need >= 0) { free(trackers); print_last_error("btx_create_torrent"); return 1; }
    unsigned char *buf = malloc((size_t)-need);
    int n = buf ? btx_create_torrent(argv[0], 0, 0, trackers, buf, -need) : 0;
    free(trackers);
    if (n <= 0) { free(buf); print_last_error("btx_create_torrent"); return 1; }
    FILE *f = fopen(argv[1], "wb");
    int ok = f && fwrite(buf, 1, (size_t)n, f) == (size_t)n;
    if (f && fclose(f) != 0) ok = 0;
    free(buf);
    if (!ok) { fprintf(stderr, "cannot write %s: %s\n", argv[1], strerror(errno)); return 1; }
    printf("created %s (%d bytes)\n", argv[1], n);
    return 0;
}

/* ---- info ---------------------------------------------------------------------------- */

static void print_files(int t) {
    int n = 0;
    unsigned char *buf = get_grow(btx_file_list, t, &n);
    if (!buf) return;
    btx_list_iter it;
    btx_rec_iter rec;
    int count = 0;
    if (btx_list_init(&it, buf, (size_t)n) == 0) {
        printf("files:        %u\n", it.count);
        while (btx_list_next(&it, &rec) == 1) {
            btx_field f;
            char path[1024] = "";
            long long size = 0;
            while (btx_rec_next_field(&rec, &f) == 1) {
                if (f.id == BTX_F_FILE_PATH) btx_field_str(&f, path, sizeof path);
                else if (f.id == BTX_F_FILE_SIZE) btx_field_ll(&f, &size);
            }
            printf("  %3d  %14lld  %s\n", count++, size, path);
        }
    }
    free(buf);
}

static void print_trackers(int t) {
    int n = 0;
    unsigned char *buf = get_grow(btx_trackers, t, &n);
    btx_list_iter it;
    btx_rec_iter rec;
    if (!buf || btx_list_init(&it, buf, (size_t)n) != 0 || it.count == 0) {
        printf("trackers:     (none)\n");
        free(buf);
        return;
    }
    printf("trackers:     %u\n", it.count);
    while (btx_list_next(&it, &rec) == 1) {
        btx_field f;
        char url[1024] = "";
        long long tier = 0;
        while (btx_rec_next_field(&rec, &f) == 1) {
            if (f.id == BTX_F_TRACKER_URL) btx_field_str(&f, url, sizeof url);
            else if (f.id == BTX_F_TRACKER_TIER) btx_field_ll(&f, &tier);
        }
        printf("  tier %lld  %s\n", tier, url);
    }
    free(buf);
}

static int cmd_info(int argc, char **argv) {
    if (argc != 1) return EXIT_USAGE;
    char tmp[] = "/tmp/btx-cli-info-XXXXXX";
    if (!mkdtemp(tmp)) { perror("mkdtemp"); return 1; }
    int rc = 1;
    int s = open_session(0);
    if (s > 0) {
        /* paused (16) and not auto-managed (mask 48 = paused|auto_managed): nothing starts */
        int t = add_torrent_path(s, argv[0], tmp, "16", "48");
        if (t > 0) {
            status st = get_status(t);
            char sz[32];
            human_bytes((double)st.total_size, sz, sizeof sz);
            printf("name:         %s\n", st.name);
            if (st.v1[0]) printf("info-hash v1: %s\n", st.v1);
            if (st.v2[0]) printf("info-hash v2: %s\n", st.v2);
            printf("size:         %lld bytes (%s)\n", st.total_size, sz);
            printf("pieces:       %lld\n", st.num_pieces);
            printf("piece length: %lld\n", st.piece_length);
            print_files(t);
            print_trackers(t);
            rc = st.ok ? 0 : 1;
        }
        drain_alerts(s);
        btx_session_free(s);
    }
    rmdir(tmp); /* empty: a paused torrent writes nothing */
    return rc;
}

/* ---- the live status line ------------------------------------------------------------ */

/* On a terminal the line is redrawn in place; into a pipe or file a plain line is written
 * every few seconds so logs stay readable. */
static int g_tty = 0;
static double g_last_line = 0;

static void show_line(const char *line, int force) {
    if (g_tty) {
        printf("\r%-100s", line);
        fflush(stdout);
    } else if (force || now_seconds() - g_last_line >= 2.0) {
        printf("%s\n", line);
        fflush(stdout);
        g_last_line = now_seconds();
    }
}

static void end_line(void) {
    if (g_tty) { printf("\n"); fflush(stdout); }
}

/* ---- seed ---------------------------------------------------------------------------- */

/* Percent-encodes s for a magnet's dn= value. */
static void url_encode(const char *s, char *out, size_t cap) {
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (; *s && o + 4 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-._~", c)) {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
}

static int cmd_seed(int argc, char **argv) {
    int port = 0, exit_after_upload = 0;
    long seconds = 0;
    const char *pos[2];
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) seconds = atol(argv[++i]);
        else if (strcmp(argv[i], "--exit-after-upload") == 0) exit_after_upload = 1;
        else if (argv[i][0] != '-' && npos < 2) pos[npos++] = argv[i];
        else return EXIT_USAGE;
    }
    if (npos != 2 || port < 0 || port > 65535 || seconds < 0) return EXIT_USAGE;

    int s = open_session(port);
    if (s <= 0) return 1;
    int rc = 1;
    int bound = wait_listen_port(s);
    int t = 0;
    if (bound <= 0) {
        if (!g_stop) print_last_error("listening on 127.0.0.1");
        drain_alerts(s);
        goto done;
    }
    t = add_torrent_path(s, pos[0], pos[1], NULL, NULL);
    if (t <= 0) goto done;

    /* Wait for the check of the data in <dir>. */
    status st;
    double start = now_seconds(), incomplete_since = 0;
    for (;;) {
        if (drain_alerts(s)) goto done;
        st = get_status(t);
        if (st.state == BTX_STATE_SEEDING || st.state == BTX_STATE_FINISHED) break;
        if (g_stop) { rc = EXIT_INTERRUPTED; goto done; }
        /* downloading after the check means the data in <dir> is missing or differs */
        if (st.state == BTX_STATE_DOWNLOADING) {
            if (incomplete_since == 0) incomplete_since = now_seconds();
            else if (now_seconds() - incomplete_since > 2.0) {
                fprintf(stderr, "seed: %s does not hold the torrent's data (%.1f%% verified)\n",
                        pos[1], st.progress * 100.0);
                goto done;
            }
        }
        if (now_seconds() - start > 600) { fprintf(stderr, "seed: checking timed out\n"); rc = EXIT_TIMEOUT; goto done; }
        sleep_ms(50);
    }

    char dn[1024];
    url_encode(st.name, dn, sizeof dn);
    printf("seeding on 127.0.0.1:%d\n", bound);
    if (st.v1[0]) printf("magnet:?xt=urn:btih:%s&dn=%s&x.pe=127.0.0.1:%d\n", st.v1, dn, bound);
    else printf("magnet:?xt=urn:btmh:1220%s&dn=%s&x.pe=127.0.0.1:%d\n", st.v2, dn, bound);
    fflush(stdout);

    start = now_seconds();
    long long total = st.total_size > 0 ? st.total_size : st.wanted;
    for (;;) {
        drain_alerts(s);
        st = get_status(t);
        char up[32], line[256];
        human_bytes((double)st.up_rate, up, sizeof up);
        snprintf(line, sizeof line, "%s  peers %lld  up %s/s  uploaded %lld/%lld",
                 state_name(st.state), st.peers, up, st.uploaded, total);
        show_line(line, 0);
        if (g_stop) { rc = 0; break; }
        if (exit_after_upload && total > 0 && st.uploaded >= total) {
            show_line(line, 1);
            end_line();
            printf("seed: a peer received the whole torrent; exiting\n");
            rc = 0;
            goto done;
        }
        if (seconds > 0 && now_seconds() - start >= (double)seconds) { rc = 0; break; }
        sleep_ms(250);
    }
    end_line();
    printf("seed: stopped after uploading %lld of %lld bytes\n", st.uploaded, total);
done:
    fflush(stdout);
    btx_session_free(s);
    return rc;
}

/* ---- download ------------------------------------------------------------------------ */

static int cmd_download(int argc, char **argv) {
    long timeout = 0;
    const char *pos[2];
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) timeout = atol(argv[++i]);
        else if (argv[i][0] != '-' && npos < 2) pos[npos++] = argv[i];
        else return EXIT_USAGE;
    }
    if (npos != 2 || timeout < 0) return EXIT_USAGE;

    int s = open_session(0);
    if (s <= 0) return 1;
    int rc = 1, t;
    if (strncmp(pos[0], "magnet:", 7) == 0) {
        t = btx_add_magnet(s, pos[0], pos[1]);
        if (t <= 0) print_last_error("btx_add_magnet");
    } else {
        t = add_torrent_path(s, pos[0], pos[1], NULL, NULL);
    }
    if (t <= 0) goto done;

    double start = now_seconds();
    status st;
    for (;;) {
        if (drain_alerts(s)) { end_line(); goto done; }
        st = get_status(t);
        if (st.error[0]) { end_line(); fprintf(stderr, "download: %s\n", st.error); goto done; }
        long long eta = st.eta;
        if (eta < 0 && st.down_rate > 0 && st.wanted > st.done) eta = (st.wanted - st.done) / st.down_rate;
        char rate[32], etas[32], bar[31], line[256];
        int fill = (int)(st.progress * 30.0 + 0.5);
        if (fill < 0) fill = 0;
        if (fill > 30) fill = 30;
        for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        human_bytes((double)st.down_rate, rate, sizeof rate);
        if (eta >= 0) snprintf(etas, sizeof etas, "%lld:%02lld", eta / 60, eta % 60);
        else snprintf(etas, sizeof etas, "--:--");
        snprintf(line, sizeof line, "[%s] %5.1f%%  %s/s  peers %lld  ETA %s  %s",
                 bar, st.progress * 100.0, rate, st.peers, etas, state_name(st.state));
        int complete = st.state == BTX_STATE_FINISHED || st.state == BTX_STATE_SEEDING;
        show_line(line, complete);
        if (complete) {
            end_line();
            char sz[32];
            human_bytes((double)st.wanted, sz, sizeof sz);
            double secs = now_seconds() - start;
            human_bytes(secs > 0 ? (double)st.wanted / secs : 0.0, rate, sizeof rate);
            printf("download: %s complete (%s) in %s, %.1f s, average %s/s\n", st.name, sz, pos[1], secs, rate);
            rc = 0;
            break;
        }
        if (g_stop) { end_line(); fprintf(stderr, "download: interrupted\n"); rc = EXIT_INTERRUPTED; break; }
        if (timeout > 0 && now_seconds() - start >= (double)timeout) {
            end_line();
            fprintf(stderr, "download: timed out after %ld s (%.1f%%, state %s)\n", timeout,
                    st.progress * 100.0, state_name(st.state));
            rc = EXIT_TIMEOUT;
            break;
        }
        sleep_ms(200);
    }
done:
    fflush(stdout);
    btx_session_free(s);
    return rc;
}

/* ---- main ---------------------------------------------------------------------------- */

static int usage(void) {
    fprintf(stderr,
            "usage: btx-cli create   <path> <out.torrent> [tracker...]\n"
            "       btx-cli info     <file.torrent>\n"
            "       btx-cli seed     <file.torrent> <dir> [--port N] [--exit-after-upload] [--seconds N]\n"
            "       btx-cli download <magnet|file.torrent> <dir> [--timeout S]\n");
    return EXIT_USAGE;
}

int main(int argc, char **argv) {
    if (argc < 2) return usage();
    if (btx_abi_version() != BTX_ABI_VERSION) {
        fprintf(stderr, "ABI mismatch: library %d, header %d\n", btx_abi_version(), BTX_ABI_VERSION);
        return 1;
    }
    g_tty = isatty(STDOUT_FILENO);
    install_signals();
    int rc;
    const char *cmd = argv[1];
    if (strcmp(cmd, "create") == 0) rc = cmd_create(argc - 2, argv + 2);
    else if (strcmp(cmd, "info") == 0) rc = cmd_info(argc - 2, argv + 2);
    else if (strcmp(cmd, "seed") == 0) rc = cmd_seed(argc - 2, argv + 2);
    else if (strcmp(cmd, "download") == 0) rc = cmd_download(argc - 2, argv + 2);
    else rc = EXIT_USAGE;
    return rc == EXIT_USAGE ? usage() : rc;
}
