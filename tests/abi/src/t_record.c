/* SPDX-License-Identifier: MIT */
/*
 * Group "record": the btx_record.h reader on the worked byte examples of §3.6, on every
 * truncation of them, and on malformed input. Buffers sit at the very end of a readable
 * page followed by an inaccessible one, so a read past the given length crashes the group.
 * Needs no library call.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"

/* A copy of data whose last byte is the last readable byte of the mapping. */
typedef struct fenced { unsigned char *map; size_t maplen; unsigned char *p; } fenced;

static fenced fence(const unsigned char *data, size_t len)
{
    fenced f;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t pages = (len + page - 1) / page + 1;
    f.maplen = (pages + 1) * page;
    f.map = (unsigned char *)mmap(NULL, f.maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (f.map == MAP_FAILED) { perror("mmap"); exit(3); }
    mprotect(f.map + pages * page, page, PROT_NONE);
    f.p = f.map + pages * page - len;
    if (len) memcpy(f.p, data, len);
    return f;
}

static void unfence(fenced *f) { munmap(f->map, f->maplen); }

/* §3.6 A */
static const unsigned char ex_a[] = {
    0x00, 0x02,
    0x02, 0x00, 0x00, 0x01, 0x33,
    0x03, 0x01, 0x00, 0x04, 0x30, 0x2e, 0x32, 0x35 };
/* §3.6 C: one stateChanged alert */
static const unsigned char ex_c[] = {
    0x00, 0x01, 0x00, 0x06, 0x00, 0x15, 0x00, 0x03,
    0x3c, 0x00, 0x00, 0x05, 0x36, 0x35, 0x35, 0x33, 0x36,
    0x41, 0x00, 0x00, 0x01, 0x33,
    0x42, 0x00, 0x00, 0x01, 0x32 };
/* §3.6 D: one peer */
static const unsigned char ex_d[] = {
    0x00, 0x01, 0x00, 0x34, 0x00, 0x06,
    0x28, 0x02, 0x00, 0x0e, '1', '0', '.', '0', '.', '0', '.', '2', ':', '5', '1', '4', '1', '3',
    0x29, 0x02, 0x00, 0x02, 0x71, 0x42,
    0x2a, 0x00, 0x00, 0x04, 0x31, 0x30, 0x30, 0x30,
    0x2b, 0x00, 0x00, 0x01, 0x30,
    0x2c, 0x01, 0x00, 0x03, 0x30, 0x2e, 0x35,
    0x2d, 0x00, 0x00, 0x02, 0x33, 0x33 };
/* §3.6 E: two alerts */
static const unsigned char ex_e[] = {
    0x00, 0x02,
    0x00, 0x0c, 0x00, 0x07, 0x00, 0x01, 0x3c, 0x00, 0x00, 0x01, 0x30,
    0x00, 0x04, 0x00, 0x0c, 0x00, 0x01, 0x3c, 0x00, 0x00, 0x06, '1', '3', '1', '0', '7', '3' };
/* §3.6 G: dht state */
static const unsigned char ex_g[] = {
    0x00, 0x04, 0x64, 0x00, 0x00, 0x01, 0x30, 0x65, 0x00, 0x00, 0x01, 0x30,
    0x66, 0x00, 0x00, 0x01, 0x30, 0x67, 0x00, 0x00, 0x01, 0x30 };
/* §3.6 H: one 5 GB file */
static const unsigned char ex_h[] = {
    0x00, 0x01, 0x00, 0x29, 0x00, 0x04,
    0x78, 0x02, 0x00, 0x07, 'd', '/', 'a', '.', 'b', 'i', 'n',
    0x79, 0x00, 0x00, 0x0a, '5', '0', '0', '0', '0', '0', '0', '0', '0', '0',
    0x7a, 0x00, 0x00, 0x05, '1', '6', '3', '8', '4',
    0x7b, 0x00, 0x00, 0x01, '4' };

static void test_example_a(void)
{
    fenced f = fence(ex_a, sizeof ex_a);
    btx_rec_iter it;
    btx_field fl;
    long long v = 0;
    char s[16];
    CHECK_INT(btx_rec_init(&it, f.p, sizeof ex_a), 0);
    CHECK_INT(it.count, 2);
    CHECK_INT(btx_rec_next_field(&it, &fl), 1);
    CHECK(fl.id == BTX_F_STATE && fl.type == BTX_T_INT && fl.len == 1, "A: field 1 is state int len 1");
    CHECK(btx_field_ll(&fl, &v) == 0 && v == 3, "A: state reads 3");
    CHECK_INT(btx_rec_next_field(&it, &fl), 1);
    CHECK(fl.id == BTX_F_PROGRESS && fl.type == BTX_T_REAL && btx_field_eq(&fl, "0.25"), "A: progress is real \"0.25\"");
    CHECK_INT(btx_field_str(&fl, s, sizeof s), 4);
    CHECK_STR(s, "0.25");
    CHECK_INT(btx_rec_next_field(&it, &fl), 0);
    CHECK_INT(btx_rec_next_field(&it, &fl), 0);
    CHECK_INT(it.pos, sizeof ex_a);
    CHECK_INT(btx_rec_size(f.p, sizeof ex_a), 15);
    CHECK_INT(btx_rec_get_ll(f.p, sizeof ex_a, BTX_F_STATE, &v), 0);
    CHECK_INT(v, 3);
    CHECK_INT(btx_rec_get_ll(f.p, sizeof ex_a, BTX_F_NAME, &v), -1);
    CHECK_INT(btx_rec_get_str(f.p, sizeof ex_a, BTX_F_PROGRESS, s, sizeof s), 4);
    CHECK_STR(s, "0.25");
    CHECK_INT(btx_rec_get_str(f.p, sizeof ex_a, BTX_F_PROGRESS, s, 3), 4); /* truncated, still NUL-terminated */
    CHECK_STR(s, "0.");
    CHECK_INT(btx_rec_find(f.p, sizeof ex_a, 99, &fl), 0);
    unfence(&f);
}

static void test_example_c(void)
{
    fenced f = fence(ex_c, sizeof ex_c);
    btx_alert_iter it;
    btx_rec_iter rec;
    unsigned type = 0;
    long long v = 0;
    CHECK_INT(btx_alert_init(&it, f.p, sizeof ex_c), 0);
    CHECK_INT(it.count, 1);
    CHECK_INT(btx_alert_next(&it, &type, &rec), 1);
    CHECK_INT(type, BTX_A_STATE_CHANGED);
    CHECK_INT(rec.len, 21);
    CHECK(btx_rec_get_ll(rec.buf, rec.len, BTX_F_EVT_TORRENT, &v) == 0 && v == 65536, "C: torrent 65536");
    CHECK(btx_rec_get_ll(rec.buf, rec.len, BTX_F_EVT_STATE, &v) == 0 && v == 3, "C: state 3");
    CHECK(btx_rec_get_ll(rec.buf, rec.len, BTX_F_EVT_PREV_STATE, &v) == 0 && v == 2, "C: prev 2");
    CHECK_INT(btx_alert_next(&it, &type, &rec), 0);
    CHECK_INT(it.pos, 27);
    unfence(&f);
}

static void test_example_d(void)
{
    fenced f = fence(ex_d, sizeof ex_d);
    btx_list_iter it;
    btx_rec_iter rec;
    btx_field fl;
    char s[64];
    long long v = 0;
    CHECK_INT(btx_list_init(&it, f.p, sizeof ex_d), 0);
    CHECK_INT(it.count, 1);
    CHECK_INT(btx_list_next(&it, &rec), 1);
    CHECK_INT(rec.len, 52);
    CHECK_INT(rec.count, 6);
    CHECK_INT(btx_rec_get_str(rec.buf, rec.len, BTX_F_PEER_ENDPOINT, s, sizeof s), 14);
    CHECK_STR(s, "10.0.0.2:51413");
    CHECK(btx_rec_get_ll(rec.buf, rec.len, BTX_F_PEER_FLAGS, &v) == 0 && v == 33, "D: flags 33");
    CHECK(btx_rec_find(rec.buf, rec.len, BTX_F_PEER_CLIENT, &fl) == 1 && btx_field_eq(&fl, "qB"), "D: client qB");
    CHECK_INT(btx_list_next(&it, &rec), 0);
    CHECK_INT(it.pos, 56);
    unfence(&f);
}

static void test_example_e(void)
{
    fenced f = fence(ex_e, sizeof ex_e);
    btx_alert_iter it;
    btx_rec_iter rec;
    unsigned type = 0;
    long long v = 0;
    CHECK_INT(btx_alert_init(&it, f.p, sizeof ex_e), 0);
    CHECK_INT(it.count, 2);
    CHECK_INT(btx_alert_next(&it, &type, &rec), 1);
    CHECK_INT(type, BTX_A_DHT_BOOTSTRAP);
    CHECK(btx_rec_get_ll(rec.buf, rec.len, BTX_F_EVT_TORRENT, &v) == 0 && v == 0, "E: first torrent 0");
    CHECK_INT(btx_alert_next(&it, &type, &rec), 1);
    CHECK_INT(type, BTX_A_TORRENT_FINISHED);
    CHECK(btx_rec_get_ll(rec.buf, rec.len, BTX_F_EVT_TORRENT, &v) == 0 && v == 131073, "E: second torrent 131073");
    CHECK_INT(btx_alert_next(&it, &type, &rec), 0);
    CHECK_INT(it.pos, 29);
    unfence(&f);
}

static void test_examples_g_h(void)
{
    fenced g = fence(ex_g, sizeof ex_g), h = fence(ex_h, sizeof ex_h);
    btx_rec_iter it;
    btx_list_iter li;
    btx_field fl;
    unsigned want = BTX_F_DHT_NODES;
    long long v = 0;
    char s[32];
    CHECK_INT(btx_rec_init(&it, g.p, sizeof ex_g), 0);
    while (btx_rec_next_field(&it, &fl) == 1) {
        CHECK(fl.id == want && btx_field_eq(&fl, "0"), "G: field %u is %u = 0", fl.id, want);
        want++;
    }
    CHECK_INT(want, BTX_F_DHT_TORRENTS + 1);
    CHECK_INT(btx_list_init(&li, h.p, sizeof ex_h), 0);
    CHECK_INT(btx_list_next(&li, &it), 1);
    CHECK(btx_rec_get_ll(it.buf, it.len, BTX_F_FILE_SIZE, &v) == 0 && v == 5000000000LL, "H: size 5000000000");
    CHECK(btx_rec_get_str(it.buf, it.len, BTX_F_FILE_PATH, s, sizeof s) == 7 && strcmp(s, "d/a.bin") == 0, "H: path");
    unfence(&g);
    unfence(&h);
}

/* Every proper prefix of a well-formed buffer is malformed or ends early, never read past. */
static void test_truncations(void)
{
    static const struct { const unsigned char *p; size_t n; int kind; } ex[] = {
        { ex_a, sizeof ex_a, 0 }, { ex_g, sizeof ex_g, 0 },
        { ex_d, sizeof ex_d, 1 }, { ex_h, sizeof ex_h, 1 },
        { ex_c, sizeof ex_c, 2 }, { ex_e, sizeof ex_e, 2 } };
    size_t e, cut;
    int bad = 0;
    for (e = 0; e < sizeof ex / sizeof ex[0]; e++) {
        for (cut = 0; cut < ex[e].n; cut++) {
            fenced f = fence(ex[e].p, cut);
            int r = 0, steps = 0;
            if (ex[e].kind == 0) {
                btx_rec_iter it;
                btx_field fl;
                if (btx_rec_init(&it, f.p, cut) == 0)
                    while ((r = btx_rec_next_field(&it, &fl)) == 1 && steps < 100) steps++;
                else r = -1;
            } else if (ex[e].kind == 1) {
                btx_list_iter it;
                btx_rec_iter rec;
                btx_field fl;
                if (btx_list_init(&it, f.p, cut) == 0) {
                    while ((r = btx_list_next(&it, &rec)) == 1 && steps < 100) {
                        steps++;
                        while (btx_rec_next_field(&rec, &fl) == 1) { }
                    }
                } else r = -1;
            } else {
                btx_alert_iter it;
                btx_rec_iter rec;
                unsigned type;
                if (btx_alert_init(&it, f.p, cut) == 0)
                    while ((r = btx_alert_next(&it, &type, &rec)) == 1 && steps < 100) steps++;
                else r = -1;
            }
            if (r != -1) bad++;
            unfence(&f);
        }
    }
    CHECK(bad == 0, "every truncation of the worked examples is reported malformed (%d were not)", bad);
}

static void test_malformed(void)
{
    /* count says 3 fields, only 1 present */
    static const unsigned char short_count[] = { 0x00, 0x03, 0x02, 0x00, 0x00, 0x01, 0x33 };
    /* a field claims 0xffff bytes */
    static const unsigned char huge_len[] = { 0x00, 0x01, 0x01, 0x02, 0xff, 0xff, 'x' };
    /* a list entry whose bodyLen passes the end */
    static const unsigned char long_body[] = { 0x00, 0x01, 0x00, 0x40, 0x00, 0x00 };
    /* a list entry whose bodyLen is too small for its own count */
    static const unsigned char tiny_body[] = { 0x00, 0x01, 0x00, 0x01, 0x00 };
    /* a list entry whose record runs past bodyLen */
    static const unsigned char body_cut[] = { 0x00, 0x01, 0x00, 0x04, 0x00, 0x01, 0x01, 0x02, 0x00, 0x01, 'x' };
    fenced f;
    btx_rec_iter it;
    btx_list_iter li;
    btx_field fl;
    long long v = 0;

    f = fence(short_count, sizeof short_count);
    CHECK_INT(btx_rec_init(&it, f.p, sizeof short_count), 0);
    CHECK_INT(btx_rec_next_field(&it, &fl), 1);
    CHECK_INT(btx_rec_next_field(&it, &fl), -1);
    CHECK_INT(btx_rec_size(f.p, sizeof short_count), -1);
    CHECK_INT(btx_rec_get_ll(f.p, sizeof short_count, BTX_F_NAME, &v), -1);
    unfence(&f);

    f = fence(huge_len, sizeof huge_len);
    CHECK_INT(btx_rec_init(&it, f.p, sizeof huge_len), 0);
    CHECK_INT(btx_rec_next_field(&it, &fl), -1);
    unfence(&f);

    f = fence(long_body, sizeof long_body);
    CHECK_INT(btx_list_init(&li, f.p, sizeof long_body), 0);
    CHECK_INT(btx_list_next(&li, &it), -1);
    unfence(&f);

    f = fence(tiny_body, sizeof tiny_body);
    CHECK_INT(btx_list_init(&li, f.p, sizeof tiny_body), 0);
    CHECK_INT(btx_list_next(&li, &it), -1);
    unfence(&f);

    f = fence(body_cut, sizeof body_cut);
    CHECK_INT(btx_list_init(&li, f.p, sizeof body_cut), 0);
    CHECK_INT(btx_list_next(&li, &it), 1);
    CHECK_INT(btx_rec_next_field(&it, &fl), -1);
    unfence(&f);

    /* NULL and empty inputs */
    CHECK_INT(btx_rec_init(&it, NULL, 10), -1);
    CHECK_INT(btx_rec_next_field(&it, &fl), -1);
    CHECK_INT(btx_list_init(&li, NULL, 0), -1);
    CHECK_INT(btx_rec_size(NULL, 0), -1);
    {
        unsigned u = 7;
        static const unsigned char two[] = { 0x12, 0x34 };
        CHECK_INT(btx_read_u16(two, 2, 0, &u), 0);
        CHECK_INT(u, 0x1234);
        CHECK_INT(btx_read_u16(two, 2, 1, &u), -1);
        CHECK_INT(btx_read_u16(two, 2, 3, &u), -1);
        CHECK_INT(btx_read_u16(two, 1, 0, &u), -1);
    }
}

static void test_values(void)
{
    btx_field f;
    long long v = 0;
    char s[8];
    f.id = 1; f.type = BTX_T_INT;
#define LL_OK(text, want) do { f.value = (const unsigned char *)(text); f.len = strlen(text); \
        CHECK(btx_field_ll(&f, &v) == 0 && v == (want), "btx_field_ll(\"%s\") == %s", text, #want); } while (0)
#define LL_BAD(text) do { f.value = (const unsigned char *)(text); f.len = strlen(text); \
        CHECK(btx_field_ll(&f, &v) == -1, "btx_field_ll(\"%s\") is rejected", text); } while (0)
    LL_OK("0", 0LL);
    LL_OK("-1", -1LL);
    LL_OK("5000000000", 5000000000LL);
    LL_OK("9223372036854775807", 9223372036854775807LL);
    LL_OK("-9223372036854775808", (-9223372036854775807LL - 1));
    LL_BAD("9223372036854775808");
    LL_BAD("-9223372036854775809");
    LL_BAD("");
    LL_BAD("-");
    LL_BAD("1.5");
    LL_BAD(" 1");
    LL_BAD("+1");
    LL_BAD("12a");
    f.value = (const unsigned char *)"abcdef"; f.len = 6;
    CHECK_INT(btx_field_str(&f, s, sizeof s), 6);
    CHECK_STR(s, "abcdef");
    CHECK_INT(btx_field_str(&f, s, 4), 6);
    CHECK_STR(s, "abc");
    s[0] = 'x';
    CHECK_INT(btx_field_str(&f, s, 0), 6);
    CHECK(s[0] == 'x', "btx_field_str with size 0 writes nothing");
    CHECK_INT(btx_field_eq(&f, "abcdef"), 1);
    {
        /* a prefix of the value: the reader stops at its NUL (a padded array, so an optimiser
         * that cannot see the early return does not flag the read past a 6-byte literal) */
        static const char prefix[16] = "abcde";
        CHECK_INT(btx_field_eq(&f, prefix), 0);
    }
    CHECK_INT(btx_field_eq(&f, "abcdefg"), 0);
    f.len = 0;
    CHECK_INT(btx_field_eq(&f, ""), 1);
}

static void test_sha(void)
{
    unsigned char d[32];
    char hex[65];
    sha1("abc", 3, d);
    hex_of(d, 20, hex);
    CHECK_STR(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha256("abc", 3, d);
    hex_of(d, 32, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha1("11:hello world", 14, d);
    hex_of(d, 20, hex);
    CHECK_STR(hex, "6d33adc2b6b2c14c3036feefb7fedbca1a880527");
}

static void test_registry(void)
{
    /* header constants agree with the registry of §3.7 and the codes of §5 */
    CHECK_INT(BTX_F_NAME, 1);
    CHECK_INT(BTX_F_FLAGS, 28);
    CHECK_INT(BTX_F_PEER_ENDPOINT, 40);
    CHECK_INT(BTX_F_EVT_TORRENT, 60);
    CHECK_INT(BTX_F_EVT_ENDPOINT, 73);
    CHECK_INT(BTX_F_DHT_NODES, 100);
    CHECK_INT(BTX_F_DHT_SEED, 113);
    CHECK_INT(BTX_F_FILE_PATH, 120);
    CHECK_INT(BTX_F_URL_SEED, 134);
    CHECK_INT(BTX_A_TORRENT_ADDED, 1);
    CHECK_INT(BTX_A_SCRAPE_REPLY, 21);
    CHECK_INT(BTX_A_DHT_PUT, 24);
    CHECK_INT(BTX_TF_DEFAULT_FLAGS, 8376);
    CHECK_INT(BTX_AC_DEFAULT_MASK, 3673);
    CHECK_INT(BTX_AC_ERROR | BTX_AC_STORAGE | BTX_AC_TRACKER | BTX_AC_STATUS |
              BTX_AC_PERFORMANCE_WARNING | BTX_AC_DHT | BTX_AC_STATS, 3673);
    CHECK_INT(BTX_TF_UPDATE_SUBSCRIBE | BTX_TF_AUTO_MANAGED | BTX_TF_PAUSED | BTX_TF_APPLY_IP_FILTER |
              BTX_TF_NEED_SAVE_RESUME, 8376);
    CHECK_INT(BTX_ABI_VERSION, 8);
    CHECK_INT(BTX_OK, 0);
    CHECK_INT(BTX_ERR_ABI, -7);
}

void group_record(void)
{
    test_example_a();
    test_example_c();
    test_example_d();
    test_example_e();
    test_examples_g_h();
    test_truncations();
    test_malformed();
    test_values();
    test_sha();
    test_registry();
}
