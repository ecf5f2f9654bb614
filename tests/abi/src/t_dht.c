/* SPDX-License-Identifier: MIT */
/*
 * Group "dht": every DHT function's validation (§4.11) with D8's stricter BEP 44 limits, the
 * keypair test vector of §7, immutable targets, and the state/save/load round trip. The
 * session runs with the DHT off: puts and gets are accepted and never complete. While
 * BTX_PENDING_DHT is set (pending.h) the calls that need a DHT node are checked as honest
 * refusals instead; their argument validation is checked either way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pending.h"

#define SEED  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define PK    "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
#define SK    "3894eea49c580aef816935762be049559d6d1440dede12e6a125f1841fff8e6f" \
              "a9d71862a3e5746b571be3d187b0041046f52ebd850c7cbd5fde8ee38473b649"
#define VALUE_TEXT "value must be 0..1000 bytes"

typedef struct kp_ctx { const char *seed; } kp_ctx;
static int keypair_fn(void *ctx, void *out, int cap) { return btx_dht_keypair(((kp_ctx *)ctx)->seed, out, cap); }
static int state_fn(void *ctx, void *out, int cap) { return btx_dht_state(*(int *)ctx, out, cap); }
static int save_fn(void *ctx, void *out, int cap) { return btx_dht_save_state(*(int *)ctx, out, cap); }

typedef struct put_ctx { int s; const void *data; int len; } put_ctx;
static int put_fn(void *ctx, void *out, int cap)
{
    put_ctx *p = (put_ctx *)ctx;
    return btx_dht_put_immutable(p->s, p->data, p->len, (char *)out, cap);
}

static void test_keypair(void)
{
    kp_ctx c;
    unsigned char *rec = NULL, *rec2 = NULL;
    char pk[80], sk[160], seed[80];
    int n;

    c.seed = SEED;
    n = check_record("btx_dht_keypair(test vector)", keypair_fn, &c, REC_SINGLE, &rec);
    CHECK_INT(n, 270);
    if (n == 270 && rec != NULL) {
        btx_rec_iter it;
        btx_field f;
        unsigned want[3] = { BTX_F_DHT_PUBLIC_KEY, BTX_F_DHT_SECRET_KEY, BTX_F_DHT_SEED }, i = 0;
        btx_rec_init(&it, rec, 270);
        CHECK_INT(it.count, 3);
        while (btx_rec_next_field(&it, &f) == 1 && i < 3) {
            CHECK(f.id == want[i] && f.type == BTX_T_HEX, "keypair field %u is %u (hex)", i, want[i]);
            i++;
        }
        btx_rec_get_str(rec, 270, BTX_F_DHT_PUBLIC_KEY, pk, sizeof pk);
        btx_rec_get_str(rec, 270, BTX_F_DHT_SECRET_KEY, sk, sizeof sk);
        btx_rec_get_str(rec, 270, BTX_F_DHT_SEED, seed, sizeof seed);
        CHECK_STR(pk, PK);
        CHECK_STR(sk, SK);
        CHECK_STR(seed, SEED);
    }
    free(rec);

    /* upper-case input, lower-case output; the same keys */
    c.seed = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
    n = get_alloc(keypair_fn, &c, &rec);
    CHECK_INT(n, 270);
    if (n == 270) {
        btx_rec_get_str(rec, 270, BTX_F_DHT_SEED, seed, sizeof seed);
        btx_rec_get_str(rec, 270, BTX_F_DHT_PUBLIC_KEY, pk, sizeof pk);
        CHECK_STR(seed, SEED);
        CHECK_STR(pk, PK);
    }
    free(rec);

    /* NULL or "": a fresh random seed each call; the keys derive from the seed returned */
    c.seed = NULL;
    n = get_alloc(keypair_fn, &c, &rec);
    CHECK_INT(n, 270);
    c.seed = "";
    CHECK_INT(get_alloc(keypair_fn, &c, &rec2), 270);
    if (n == 270 && rec2 != NULL) {
        char seed2[80], pk2[80], again_pk[80], again_sk[160];
        unsigned char *rec3 = NULL;
        btx_rec_get_str(rec, 270, BTX_F_DHT_SEED, seed, sizeof seed);
        btx_rec_get_str(rec, 270, BTX_F_DHT_PUBLIC_KEY, pk, sizeof pk);
        btx_rec_get_str(rec, 270, BTX_F_DHT_SECRET_KEY, sk, sizeof sk);
        btx_rec_get_str(rec2, 270, BTX_F_DHT_SEED, seed2, sizeof seed2);
        btx_rec_get_str(rec2, 270, BTX_F_DHT_PUBLIC_KEY, pk2, sizeof pk2);
        CHECK(strcmp(seed, seed2) != 0 && strcmp(pk, pk2) != 0, "two random keypairs differ");
        c.seed = seed;
        if (get_alloc(keypair_fn, &c, &rec3) == 270) {
            btx_rec_get_str(rec3, 270, BTX_F_DHT_PUBLIC_KEY, again_pk, sizeof again_pk);
            btx_rec_get_str(rec3, 270, BTX_F_DHT_SECRET_KEY, again_sk, sizeof again_sk);
            CHECK(strcmp(pk, again_pk) == 0 && strcmp(sk, again_sk) == 0, "a random keypair is the one its seed gives");
        }
        free(rec3);
    }
    free(rec);
    free(rec2);

    /* bad seeds: 0 with the text, nothing written */
    {
        gbuf g = gb_new(300);
        CHECK_FAIL(btx_dht_keypair("zz", gb_ptr(&g), 300), 0, "seed must be empty or 64 hex chars");
        CHECK_FAIL(btx_dht_keypair("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1", gb_ptr(&g), 300),
                   0, "seed must be empty or 64 hex chars");
        CHECK_FAIL(btx_dht_keypair(SEED "0", gb_ptr(&g), 300), 0, "seed must be empty or 64 hex chars");
        CHECK_FAIL(btx_dht_keypair(SEED "00", gb_ptr(&g), 300), 0, "seed must be empty or 64 hex chars");
        CHECK_FAIL(btx_dht_keypair("g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", gb_ptr(&g), 300),
                   0, "seed must be empty or 64 hex chars");
        CHECK_FAIL(btx_dht_keypair(" 00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", NULL, 0),
                   0, "seed must be empty or 64 hex chars");
        CHECK(gb_untouched(&g), "a rejected seed writes nothing");
        gb_free(&g);
    }
}

static void test_put_immutable(int s)
{
    put_ctx p;
    char buf[64];
    static unsigned char big[1001];
    p.s = s;
    p.data = "hello world";
    p.len = 11;
    check_flat("dht_put_immutable(hello world)", put_fn, &p, "6d33adc2b6b2c14c3036feefb7fedbca1a880527", 40, NULL);
    p.data = "hi";
    p.len = 2;
    check_flat("dht_put_immutable(hi)", put_fn, &p, "30730d11d39c6aabf0d45bedbbd6e81677dde0fa", 40, NULL);
    p.data = "";
    p.len = 0;  /* non-NULL with length 0 stores the empty string */
    check_flat("dht_put_immutable(empty)", put_fn, &p, "b44b82a4bc6c35f6ad5e9fceefef9509c17fba74", 40, NULL);

    /* the target is SHA-1 of the bencoded value, for any content */
    {
        unsigned char d[20];
        char want[41], bencoded[1100];
        int hl;
        memset(big, 'x', sizeof big);
        hl = snprintf(bencoded, sizeof bencoded, "996:");
        memcpy(bencoded + hl, big, 996);
        sha1(bencoded, (size_t)hl + 996, d);
        hex_of(d, 20, want);
        p.data = big;
        p.len = 996;   /* the largest value whose bencoding fits 1000 bytes (D8) */
        check_flat("dht_put_immutable(996 bytes)", put_fn, &p, want, 40, NULL);
    }

    CHECK_SILENT(btx_dht_put_immutable(0, "hi", 2, buf, (int)sizeof buf), 0);
    CHECK_SILENT(btx_dht_put_immutable(s + 65536, NULL, -1, buf, (int)sizeof buf), 0); /* stale first */
    CHECK_FAIL(btx_dht_put_immutable(s, NULL, 2, buf, (int)sizeof buf), 0, VALUE_TEXT);
    CHECK_FAIL(btx_dht_put_immutable(s, "hi", -1, buf, (int)sizeof buf), 0, VALUE_TEXT);
    CHECK_FAIL(btx_dht_put_immutable(s, big, 1001, buf, (int)sizeof buf), 0, VALUE_TEXT);
    CHECK_FAIL(btx_dht_put_immutable(s, NULL, 0, NULL, 0), 0, VALUE_TEXT);
    /* D8: limited by the bencoded size, so 997..1000 raw bytes are refused too */
    CHECK_FAIL_ANYTEXT(btx_dht_put_immutable(s, big, 997, buf, (int)sizeof buf), 0);
    CHECK_FAIL_ANYTEXT(btx_dht_put_immutable(s, big, 1000, buf, (int)sizeof buf), 0);
}

static void test_get_immutable(int s)
{
    CHECK_FAIL(btx_dht_get_immutable(0, "6d33adc2b6b2c14c3036feefb7fedbca1a880527"), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_get_immutable(s + 65536, NULL), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_get_immutable(s, NULL), BTX_ERR_INVALID_ARG, "target must be 40 hex chars");
    CHECK_FAIL(btx_dht_get_immutable(s, ""), BTX_ERR_INVALID_ARG, "target must be 40 hex chars");
    CHECK_FAIL(btx_dht_get_immutable(s, "6d33adc2b6b2c14c3036feefb7fedbca1a88052"), BTX_ERR_INVALID_ARG,
               "target must be 40 hex chars");
    CHECK_FAIL(btx_dht_get_immutable(s, "6d33adc2b6b2c14c3036feefb7fedbca1a8805277"), BTX_ERR_INVALID_ARG,
               "target must be 40 hex chars");
    CHECK_FAIL(btx_dht_get_immutable(s, "6d33adc2b6b2c14c3036feefb7fedbca1a88052x"), BTX_ERR_INVALID_ARG,
               "target must be 40 hex chars");
#if !BTX_PENDING_DHT
    CHECK_OK(btx_dht_get_immutable(s, "6d33adc2b6b2c14c3036feefb7fedbca1a880527"));
    CHECK_OK(btx_dht_get_immutable(s, "6D33ADC2B6B2C14C3036FEEFB7FEDBCA1A880527"));
#else
    CHECK_PENDING(btx_dht_get_immutable(s, "6d33adc2b6b2c14c3036feefb7fedbca1a880527"));
    CHECK_PENDING(btx_dht_get_immutable(s, "6D33ADC2B6B2C14C3036FEEFB7FEDBCA1A880527"));
#endif
}

static void test_mutable(int s)
{
    static unsigned char big[1001];
    char salt65[66];
    memset(big, 'y', sizeof big);
    memset(salt65, 's', 65);
    salt65[65] = '\0';

    CHECK_FAIL(btx_dht_put_mutable(0, PK, SK, "", "hi", 2), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_put_mutable(s + 65536, NULL, NULL, NULL, NULL, -1), BTX_ERR_NO_SESSION, "no live session");
    /* validation order: value, public key, secret key */
    CHECK_FAIL(btx_dht_put_mutable(s, PK, SK, "", NULL, 2), BTX_ERR_INVALID_ARG, VALUE_TEXT);
    CHECK_FAIL(btx_dht_put_mutable(s, PK, SK, "", "hi", -1), BTX_ERR_INVALID_ARG, VALUE_TEXT);
    CHECK_FAIL(btx_dht_put_mutable(s, PK, SK, "", big, 1001), BTX_ERR_INVALID_ARG, VALUE_TEXT);
    CHECK_FAIL(btx_dht_put_mutable(s, NULL, NULL, "", NULL, 2), BTX_ERR_INVALID_ARG, VALUE_TEXT);
    CHECK_FAIL(btx_dht_put_mutable(s, NULL, SK, "", "hi", 2), BTX_ERR_INVALID_ARG, "public key must be 64 hex chars");
    CHECK_FAIL(btx_dht_put_mutable(s, "03a107", SK, "", "hi", 2), BTX_ERR_INVALID_ARG, "public key must be 64 hex chars");
    CHECK_FAIL(btx_dht_put_mutable(s, "x3a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8", SK, "", "hi", 2),
               BTX_ERR_INVALID_ARG, "public key must be 64 hex chars");
    CHECK_FAIL(btx_dht_put_mutable(s, PK, NULL, "", "hi", 2), BTX_ERR_INVALID_ARG, "secret key must be 128 hex chars");
    CHECK_FAIL(btx_dht_put_mutable(s, PK, PK, "", "hi", 2), BTX_ERR_INVALID_ARG, "secret key must be 128 hex chars");
    CHECK_FAIL(btx_dht_put_mutable(s, NULL, NULL, "", "hi", 2), BTX_ERR_INVALID_ARG, "public key must be 64 hex chars");
    /* D8: a secret key that does not belong to the public key, an over-long salt, and a
     * value whose bencoding exceeds 1000 bytes are refused */
    CHECK_FAIL_ANYTEXT(btx_dht_put_mutable(s, "0000000000000000000000000000000000000000000000000000000000000000",
                                           SK, "", "hi", 2), BTX_ERR_INVALID_ARG);
    CHECK_FAIL_ANYTEXT(btx_dht_put_mutable(s, PK, SK, salt65, "hi", 2), BTX_ERR_INVALID_ARG);
    CHECK_FAIL_ANYTEXT(btx_dht_put_mutable(s, PK, SK, "", big, 997), BTX_ERR_INVALID_ARG);
    /* accepted (while the DHT is pending: valid arguments reach it and are honestly refused) */
#if !BTX_PENDING_DHT
    CHECK_OK(btx_dht_put_mutable(s, PK, SK, "", "hi", 2));
    CHECK_OK(btx_dht_put_mutable(s, PK, SK, NULL, "hi", 2));
    CHECK_OK(btx_dht_put_mutable(s, PK, SK, "s", "hi", 2));
    CHECK_OK(btx_dht_put_mutable(s, PK, SK, "myapp", "", 0));
    CHECK_OK(btx_dht_put_mutable(s, PK, SK, salt65 + 1, big, 996));
    CHECK_OK(btx_dht_put_mutable(s, "03A107BFF3CE10BE1D70DD18E74BC09967E4D6309BA50D5F1DDC8664125531B8", SK, "", "hi", 2));
#else
    CHECK_PENDING(btx_dht_put_mutable(s, PK, SK, "", "hi", 2));
    CHECK_PENDING(btx_dht_put_mutable(s, PK, SK, NULL, "hi", 2));
    CHECK_PENDING(btx_dht_put_mutable(s, PK, SK, "s", "hi", 2));
    CHECK_PENDING(btx_dht_put_mutable(s, PK, SK, "myapp", "", 0));
    CHECK_PENDING(btx_dht_put_mutable(s, PK, SK, salt65 + 1, big, 996));
    CHECK_PENDING(btx_dht_put_mutable(s, "03A107BFF3CE10BE1D70DD18E74BC09967E4D6309BA50D5F1DDC8664125531B8", SK, "",
                                      "hi", 2));
#endif

    CHECK_FAIL(btx_dht_get_mutable(0, PK, ""), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_get_mutable(s + 65536, NULL, NULL), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_get_mutable(s, NULL, ""), BTX_ERR_INVALID_ARG, "public key must be 64 hex chars");
    CHECK_FAIL(btx_dht_get_mutable(s, "", ""), BTX_ERR_INVALID_ARG, "public key must be 64 hex chars");
    CHECK_FAIL(btx_dht_get_mutable(s, SK, ""), BTX_ERR_INVALID_ARG, "public key must be 64 hex chars");
#if !BTX_PENDING_DHT
    CHECK_OK(btx_dht_get_mutable(s, PK, NULL));
    CHECK_OK(btx_dht_get_mutable(s, PK, "s"));
#else
    CHECK_PENDING(btx_dht_get_mutable(s, PK, NULL));
    CHECK_PENDING(btx_dht_get_mutable(s, PK, "s"));
#endif
}

static void test_bootstrap(int s)
{
    CHECK_FAIL(btx_dht_add_bootstrap(0, "127.0.0.1", 6881), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_add_bootstrap(s + 65536, NULL, 0), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_add_bootstrap(s, NULL, 6881), BTX_ERR_INVALID_ARG, "bad DHT bootstrap host/port");
    CHECK_FAIL(btx_dht_add_bootstrap(s, "", 6881), BTX_ERR_INVALID_ARG, "bad DHT bootstrap host/port");
    CHECK_FAIL(btx_dht_add_bootstrap(s, "127.0.0.1", 0), BTX_ERR_INVALID_ARG, "bad DHT bootstrap host/port");
    CHECK_FAIL(btx_dht_add_bootstrap(s, "127.0.0.1", -1), BTX_ERR_INVALID_ARG, "bad DHT bootstrap host/port");
    CHECK_FAIL(btx_dht_add_bootstrap(s, "127.0.0.1", 65536), BTX_ERR_INVALID_ARG, "bad DHT bootstrap host/port");
#if !BTX_PENDING_DHT
    CHECK_OK(btx_dht_add_bootstrap(s, "127.0.0.1", 6881));
    CHECK_OK(btx_dht_add_bootstrap(s, "::1", 65535));
#else
    CHECK_PENDING(btx_dht_add_bootstrap(s, "127.0.0.1", 6881));
    CHECK_PENDING(btx_dht_add_bootstrap(s, "::1", 65535));
#endif
}

static void test_state(int s)
{
    unsigned char *rec = NULL, *blob = NULL;
    int n;
    gbuf g = gb_new(64);
    CHECK_SILENT(btx_dht_state(0, gb_ptr(&g), 64), 0);
    CHECK_SILENT(btx_dht_state(s + 65536, NULL, 100), 0);
    CHECK_SILENT(btx_dht_save_state(0, gb_ptr(&g), 64), 0);
    CHECK_SILENT(btx_dht_save_state(s + 65536, NULL, 0), 0);
    CHECK(gb_untouched(&g), "stale session: nothing written");
    gb_free(&g);

    n = check_record("btx_dht_state", state_fn, &s, REC_SINGLE, &rec);
    if (n > 0 && rec != NULL) {
        btx_rec_iter it;
        btx_field f;
        unsigned want = BTX_F_DHT_NODES;
        int ok = 1;
        btx_rec_init(&it, rec, (size_t)n);
        CHECK_INT(it.count, 4);
        while (btx_rec_next_field(&it, &f) == 1) {
            long long v = -1;
            if (f.id != want || btx_field_ll(&f, &v) != 0 || v < 0) ok = 0;
            want++;
        }
        CHECK(ok, "dht_state: fields 100, 101, 102, 103 in order, each a count >= 0");
    }
    free(rec);

    n = check_flat("btx_dht_save_state", save_fn, &s, NULL, -1, &blob);
    CHECK(n >= 14 && blob != NULL && memcmp(blob, "d9:dht state", 12) == 0 && blob[n - 1] == 'e',
          "dht_save_state is a bencoded dict with \"dht state\" (%d bytes)", n);

    CHECK_FAIL(btx_dht_load_state(0, "de", 2), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_load_state(s + 65536, NULL, 0), BTX_ERR_NO_SESSION, "no live session");
    CHECK_FAIL(btx_dht_load_state(s, NULL, 2), BTX_ERR_INVALID_ARG, "empty DHT state");
    CHECK_FAIL(btx_dht_load_state(s, "de", 0), BTX_ERR_INVALID_ARG, "empty DHT state");
    CHECK_FAIL(btx_dht_load_state(s, "de", -1), BTX_ERR_INVALID_ARG, "empty DHT state");
    /* D8: garbage is an invalid argument (not the firewall's -6) */
    CHECK_FAIL_ANYTEXT(btx_dht_load_state(s, "xyz", 3), BTX_ERR_INVALID_ARG);
    CHECK_FAIL_ANYTEXT(btx_dht_load_state(s, "d9:dht state", 12), BTX_ERR_INVALID_ARG);
#if !BTX_PENDING_DHT
    if (n > 0 && blob != NULL) CHECK_OK(btx_dht_load_state(s, blob, n));
    CHECK_OK(btx_dht_load_state(s, "d9:dht stated7:node-idleee", 26)); /* the original's DHT-off blob */
    CHECK_OK(btx_dht_load_state(s, "de", 2));    /* well formed, not the expected dict */
    CHECK_OK(btx_dht_load_state(s, "i5e", 3));
#else
    /* well-formed state reaches the missing DHT node: an honest refusal (garbage is still -3 above) */
    if (n > 0 && blob != NULL) CHECK_PENDING(btx_dht_load_state(s, blob, n));
    CHECK_PENDING(btx_dht_load_state(s, "d9:dht stated7:node-idleee", 26));
    CHECK_PENDING(btx_dht_load_state(s, "de", 2));
    CHECK_PENDING(btx_dht_load_state(s, "i5e", 3));
#endif
    free(blob);
}

void group_dht(void)
{
    int s;
    test_keypair();  /* needs no session */
    s = open_quiet_session();
    if (s <= 0) return;
    test_put_immutable(s);
    test_get_immutable(s);
    test_mutable(s);
    test_bootstrap(s);
    test_state(s);
    btx_session_free(s);
    {
        char buf[64];
        CHECK_SILENT(btx_dht_put_immutable(s, "hi", 2, buf, (int)sizeof buf), 0);
        /* keypair keeps working without a session */
        CHECK_INT(btx_dht_keypair(SEED, NULL, 0), -270);
    }
}
