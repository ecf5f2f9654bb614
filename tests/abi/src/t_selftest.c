/* SPDX-License-Identifier: MIT */
/*
 * Group "selftest": the harness's protocol checks (check_flat, check_record) run against
 * small getters written here to the contract (§1.5, §3.4), and against deliberately broken
 * ones, to prove the checks pass on correct behaviour and fail on each kind of violation;
 * and the text rule of pending.h's honest-refusal checks. Needs no library call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pending.h"

/* ---- a measure-or-write writer (§3.4) --------------------------------------------------- */

typedef struct writer { unsigned char *out; int cap; int pos; } writer;

static void w_init(writer *w, void *out, int cap)
{
    w->out = (unsigned char *)out;
    w->cap = out == NULL || cap < 0 ? 0 : cap;   /* NULL counts as capacity 0 */
    w->pos = 0;
}

static void w_bytes(writer *w, const void *p, int n)
{
    if (w->pos + n <= w->cap && n > 0) memcpy(w->out + w->pos, p, (size_t)n);
    w->pos += n;
}

static void w_u8(writer *w, unsigned v)
{
    unsigned char b = (unsigned char)v;
    w_bytes(w, &b, 1);
}

static void w_u16(writer *w, unsigned v)
{
    unsigned char b[2];
    b[0] = (unsigned char)(v >> 8);
    b[1] = (unsigned char)v;
    w_bytes(w, b, 2);
}

static void w_patch16(writer *w, int at, unsigned v)
{
    if (at + 2 <= w->cap) {
        w->out[at] = (unsigned char)(v >> 8);
        w->out[at + 1] = (unsigned char)v;
    }
}

static void w_field(writer *w, unsigned id, unsigned type, const char *v)
{
    w_u8(w, id);
    w_u8(w, type);
    w_u16(w, (unsigned)strlen(v));
    w_bytes(w, v, (int)strlen(v));
}

static int w_result(const writer *w) { return w->pos <= w->cap ? w->pos : -w->pos; }

/* A correct list getter: two file entries (one with an empty path). */
static int good_list(void *ctx, void *out, int cap)
{
    writer w;
    int n_at, e, body_at, rec_at;
    static const char *paths[2] = { "d/a.bin", "" };
    (void)ctx;
    w_init(&w, out, cap);
    n_at = w.pos;
    w_u16(&w, 0);
    for (e = 0; e < 2; e++) {
        body_at = w.pos;
        w_u16(&w, 0);
        rec_at = w.pos;
        w_u16(&w, 0);
        w_field(&w, BTX_F_FILE_PATH, BTX_T_UTF8, paths[e]);
        w_field(&w, BTX_F_FILE_SIZE, BTX_T_INT, "5000000000");
        w_field(&w, BTX_F_FILE_PROGRESS, BTX_T_INT, "16384");
        w_field(&w, BTX_F_FILE_PRIORITY, BTX_T_INT, "4");
        w_patch16(&w, rec_at, 4);
        w_patch16(&w, body_at, (unsigned)(w.pos - body_at - 2));
    }
    w_patch16(&w, n_at, 2);
    return w_result(&w);
}

/* A correct single record (§3.6 A). */
static int good_record(void *ctx, void *out, int cap)
{
    writer w;
    (void)ctx;
    w_init(&w, out, cap);
    w_u16(&w, 0);
    w_field(&w, BTX_F_STATE, BTX_T_INT, "3");
    w_field(&w, BTX_F_PROGRESS, BTX_T_REAL, "0.25");
    w_patch16(&w, 0, 2);
    return w_result(&w);
}

/* Broken: copies as many bytes as fit (splits primitives). */
static int split_record(void *ctx, void *out, int cap)
{
    unsigned char full[64];
    int n = good_record(ctx, full, (int)sizeof full);
    if (out != NULL && cap > 0) memcpy(out, full, (size_t)(cap < n ? cap : n));
    return cap >= n ? n : -n;
}

/* Broken: forgets to back-patch the count when the record does not fit. */
static int unpatched_record(void *ctx, void *out, int cap)
{
    int r = good_record(ctx, out, cap);
    if (r < 0 && out != NULL && cap >= 2) ((unsigned char *)out)[1] = 0;
    return r;
}

/* Broken: writes one byte past cap when it does not fit. */
static int overrun_record(void *ctx, void *out, int cap)
{
    int r = good_record(ctx, out, cap);
    if (r < 0 && out != NULL && cap >= 2) ((unsigned char *)out)[cap] = 0x11;
    return r;
}

/* Broken: returns 0 instead of -total for a NULL buffer. */
static int nullzero_record(void *ctx, void *out, int cap)
{
    if (out == NULL && cap > 0) return 0;
    return good_record(ctx, out, cap);
}

/* Broken: a field type that the registry does not give. */
static int badtype_record(void *ctx, void *out, int cap)
{
    writer w;
    (void)ctx;
    w_init(&w, out, cap);
    w_u16(&w, 0);
    w_field(&w, BTX_F_STATE, BTX_T_UTF8, "3");
    w_patch16(&w, 0, 1);
    return w_result(&w);
}

/* Broken: an int with a leading zero. */
static int badint_record(void *ctx, void *out, int cap)
{
    writer w;
    (void)ctx;
    w_init(&w, out, cap);
    w_u16(&w, 0);
    w_field(&w, BTX_F_STATE, BTX_T_INT, "03");
    w_patch16(&w, 0, 1);
    return w_result(&w);
}

/* ---- flat getters ------------------------------------------------------------------- */

static const char k_text[] = "a session is already live; free it before opening another";

static int good_flat(void *ctx, void *out, int cap)
{
    int need = (int)strlen(k_text);
    (void)ctx;
    if (out != NULL && cap > 0 && need <= cap) memcpy(out, k_text, (size_t)need);
    return need <= (cap < 0 ? 0 : cap) ? need : -need;
}

static int partial_flat(void *ctx, void *out, int cap)
{
    int need = (int)strlen(k_text);
    (void)ctx;
    if (out != NULL && cap > 0) memcpy(out, k_text, (size_t)(need <= cap ? need : cap));
    return need <= (cap < 0 ? 0 : cap) ? need : -need;
}

static int nul_flat(void *ctx, void *out, int cap)
{
    int r = good_flat(ctx, out, cap);
    if (r > 0 && out != NULL && cap > r) ((char *)out)[r] = '\0';
    return r;
}

static int nullneg_flat(void *ctx, void *out, int cap)
{
    if (out == NULL) return -(int)strlen(k_text);  /* misses the +need quirk */
    return good_flat(ctx, out, cap);
}

static int empty_flat(void *ctx, void *out, int cap) { (void)ctx; (void)out; (void)cap; return 0; }

#define EXPECT_CLEAN(call, what) do { long f_; t_capture_begin(); call; f_ = t_capture_end(); \
        CHECK(f_ == 0, "selftest: %s passes every protocol check (%ld failed)", what, f_); } while (0)
#define EXPECT_CAUGHT(call, what) do { long f_; t_capture_begin(); call; f_ = t_capture_end(); \
        CHECK(f_ > 0, "selftest: %s is caught", what); } while (0)

/* The pending checks accept only a refusal that names what is missing. */
static void test_pending_text(void)
{
    static const char *const add_ok =
        "add_torrent failed: resume data is not supported yet by this build (resume-data issue)";
    CHECK(pending_text_ok("the DHT is not available yet in this build (DHT issue)", NULL, NULL),
          "selftest: an action's \"not available yet\" text is accepted");
    CHECK(pending_text_ok("x is not supported yet", NULL, NULL), "selftest: \"not supported yet\" is accepted");
    CHECK(pending_text_ok(add_ok, "add_torrent failed: ", BTX_PENDING_MARK_SUPPORTED),
          "selftest: add_with_resume's refusal is accepted");
    CHECK(!pending_text_ok("", NULL, NULL), "selftest: an empty text is caught");
    CHECK(!pending_text_ok(NULL, NULL, NULL), "selftest: no text is caught");
    CHECK(!pending_text_ok("bad torrent handle", NULL, NULL), "selftest: an unrelated failure text is caught");
    CHECK(!pending_text_ok("not available", NULL, NULL), "selftest: a text without \"yet\" is caught");
    CHECK(!pending_text_ok("resume data is not supported yet", "add_torrent failed: ", BTX_PENDING_MARK_SUPPORTED),
          "selftest: add_with_resume's refusal without its prefix is caught");
    CHECK(!pending_text_ok("add_torrent failed: not available yet", "add_torrent failed: ", BTX_PENDING_MARK_SUPPORTED),
          "selftest: add_with_resume's refusal with the other marker is caught");
}

void group_selftest(void)
{
    test_pending_text();
    EXPECT_CLEAN(check_record("good list", good_list, NULL, REC_LIST, NULL), "a correct list getter");
    EXPECT_CLEAN(check_record("good record", good_record, NULL, REC_SINGLE, NULL), "a correct record getter");
    EXPECT_CAUGHT(check_record("split", split_record, NULL, REC_SINGLE, NULL), "a getter that splits primitives");
    EXPECT_CAUGHT(check_record("unpatched", unpatched_record, NULL, REC_SINGLE, NULL), "a missing count back-patch");
    EXPECT_CAUGHT(check_record("overrun", overrun_record, NULL, REC_SINGLE, NULL), "a write past cap");
    EXPECT_CAUGHT(check_record("nullzero", nullzero_record, NULL, REC_SINGLE, NULL), "NULL not treated as cap 0");
    EXPECT_CAUGHT(check_record("badtype", badtype_record, NULL, REC_SINGLE, NULL), "a field of the wrong type");
    EXPECT_CAUGHT(check_record("badint", badint_record, NULL, REC_SINGLE, NULL), "a non-canonical int");
    EXPECT_CAUGHT(check_record("list as single", good_list, NULL, REC_SINGLE, NULL), "a list read as one record");

    EXPECT_CLEAN(check_flat("good flat", good_flat, NULL, k_text, (int)strlen(k_text), NULL), "a correct flat getter");
    EXPECT_CLEAN(check_flat("empty flat", empty_flat, NULL, NULL, 0, NULL), "an empty flat result");
    EXPECT_CAUGHT(check_flat("partial", partial_flat, NULL, k_text, (int)strlen(k_text), NULL),
                  "a flat getter writing a partial result");
    EXPECT_CAUGHT(check_flat("nul", nul_flat, NULL, k_text, (int)strlen(k_text), NULL), "a NUL terminator");
    EXPECT_CAUGHT(check_flat("nullneg", nullneg_flat, NULL, k_text, (int)strlen(k_text), NULL),
                  "a missing (NULL, cap >= need) quirk");
    EXPECT_CAUGHT(check_flat("wrong content", good_flat, NULL, "x", 1, NULL), "a wrong expected length");
    EXPECT_CAUGHT(check_flat("empty expected", empty_flat, NULL, NULL, 5, NULL), "an empty result where 5 bytes are due");
}
