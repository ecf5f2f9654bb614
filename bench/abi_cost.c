/* SPDX-License-Identifier: MIT
 * The cost of btx_torrent_status and btx_pop_alerts per call, from C, with 1 and 1,000 torrents.
 * Usage: abi_cost [iterations]   (prints microseconds per call; no network, no disk data). */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "btx_abi.h"

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* A minimal single-file v1 torrent whose name makes its info-hash unique. */
static int make_torrent(char *buf, int cap, int n) {
    char name[32];
    int nlen = snprintf(name, sizeof name, "bench-%06d.bin", n);
    int len = snprintf(buf, cap, "d4:infod6:lengthi16384e4:name%d:%s12:piece lengthi16384e6:pieces20:", nlen, name);
    memset(buf + len, 'x', 20);
    len += 20;
    memcpy(buf + len, "ee", 2);
    return len + 2;
}

static void drain(int s, unsigned char *buf, int cap) {
    while (btx_pop_alerts(s, buf, cap) > 0) {}
}

static void measure(int s, int *handles, int count, long iterations, unsigned char *buf, int cap) {
    double t0 = now_us();
    long sink = 0;
    for (long i = 0; i < iterations; i++) sink += btx_torrent_status(handles[i % count], buf, cap);
    double status_us = (now_us() - t0) / iterations;
    drain(s, buf, cap);
    t0 = now_us();
    for (long i = 0; i < iterations; i++) sink += btx_pop_alerts(s, buf, cap);
    double pop_us = (now_us() - t0) / iterations;
    printf("torrents=%d  btx_torrent_status %.3f us/call  btx_pop_alerts (idle) %.3f us/call  (%ld)\n",
           count, status_us, pop_us, sink % 7);
}

int main(int argc, char **argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 200000;
    static unsigned char buf[1 << 16];
    static int handles[1000];
    int s = btx_session_new();
    if (s <= 0) { fprintf(stderr, "session_new failed\n"); return 1; }
    char tbuf[256];
    for (int i = 0; i < 1000; i++) {
        int len = make_torrent(tbuf, sizeof tbuf, i);
        handles[i] = btx_add_torrent_file(s, tbuf, len, "/tmp/txt-bench-nodata");
        if (handles[i] <= 0) { fprintf(stderr, "add %d failed\n", i); return 1; }
        if (i == 0) measure(s, handles, 1, iterations, buf, sizeof buf);
    }
    measure(s, handles, 1000, iterations, buf, sizeof buf);
    btx_session_free(s);
    return 0;
}
