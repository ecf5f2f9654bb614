/* SPDX-License-Identifier: MIT
 * Quick start: create a torrent of a path, add it back with its data, wait for the check, and
 * print the status and every alert. Build:
 *   gcc -std=c11 -I dist/linux-x64/include examples/quickstart.c -L dist/linux-x64 -ltorrentxt \
 *       -Wl,-rpath,'$ORIGIN/../dist/linux-x64' -o quickstart
 * Usage: quickstart <file-or-directory>      (the torrent is saved beside the content) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "btx_abi.h"
#include "btx_record.h"

static void print_last_error(const char *what) {
    char text[512];
    int n = btx_last_error(text, (int)sizeof text - 1);
    text[n > 0 ? n : 0] = '\0';
    fprintf(stderr, "%s failed: %s\n", what, text);
}

/* Grow-and-retry: the first call measures (returns minus the size needed). */
static unsigned char *create(const char *path, int *len) {
    int need = btx_create_torrent(path, 0, 0, NULL, NULL, 0);
    if (need >= 0) return NULL;
    unsigned char *buf = malloc((size_t)-need);
    *len = btx_create_torrent(path, 0, 0, NULL, buf, -need);
    if (*len <= 0) { free(buf); return NULL; }
    return buf;
}

static void drain_alerts(int s) {
    static unsigned char buf[65536];
    int n = btx_pop_alerts(s, buf, (int)sizeof buf);
    btx_alert_iter it;
    btx_rec_iter rec;
    unsigned type;
    if (n <= 0 || btx_alert_init(&it, buf, sizeof buf) != 0) return;
    while (btx_alert_next(&it, &type, &rec) == 1) {
        btx_field f;
        char text[256] = "";
        while (btx_rec_next_field(&rec, &f) == 1)
            if (f.id == BTX_F_EVT_MESSAGE) btx_field_str(&f, text, sizeof text);
        printf("alert %u %s\n", type, text);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s <file-or-directory>\n", argv[0]); return 2; }
    if (btx_abi_version() != BTX_ABI_VERSION) { fprintf(stderr, "ABI mismatch\n"); return 1; }
    int len = 0;
    unsigned char *torrent = create(argv[1], &len);
    if (!torrent) { print_last_error("btx_create_torrent"); return 1; }

    int s = btx_session_new();
    if (s <= 0) { print_last_error("btx_session_new"); return 1; }
    btx_set_bool(s, "enable_dht", 0);

    /* The content's parent directory is the save path. */
    char save[4096];
    snprintf(save, sizeof save, "%s", argv[1]);
    char *slash = strrchr(save, '/');
    if (slash) *slash = '\0'; else strcpy(save, ".");

    int t = btx_add_torrent_file(s, torrent, len, save);
    free(torrent);
    if (t <= 0) { print_last_error("btx_add_torrent_file"); return 1; }

    char hash[65];
    int hn = btx_info_hash_hex(t, hash, 64);
    hash[hn > 0 ? hn : 0] = '\0';
    long long state = 0;
    for (int i = 0; i < 500 && state != BTX_STATE_SEEDING; i++) {
        unsigned char status[8192];
        int sn = btx_torrent_status(t, status, (int)sizeof status);
        if (sn > 0) btx_rec_get_ll(status, (size_t)sn, BTX_F_STATE, &state);
        drain_alerts(s);
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    printf("info-hash %s, state %lld (%s)\n", hash, state, state == BTX_STATE_SEEDING ? "seeding" : "not complete");
    btx_session_free(s);
    return state == BTX_STATE_SEEDING ? 0 : 1;
}
