/* SPDX-License-Identifier: MIT
 * Session start and stop time from C (libtorrent: 21 ms / 1 ms on this machine, perf-anchors.md).
 * The first start includes the .NET runtime's own initialisation. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <time.h>
#include "btx_abi.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(void) {
    for (int i = 0; i < 5; i++) {
        double a = now_ms();
        int s = btx_session_new();
        double b = now_ms();
        btx_session_free(s);
        double c = now_ms();
        printf("session %d: start %.3f ms, stop %.3f ms%s\n", i + 1, b - a, c - b, i == 0 ? " (includes runtime start)" : "");
    }
    return 0;
}
