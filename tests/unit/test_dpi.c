/* test_dpi.c - worker_dpi.c's replacement for nDPI 4.2's NDPI_BITMASK_COMPARE must answer
 * exactly as libndpi's own copy, which dlsym(RTLD_NEXT) still reaches, for every bit position
 * and for dense masks; and it must be the definition the process uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <ndpi/ndpi_api.h>
#include <stdint.h>
#include <string.h>

#if NDPI_MAJOR == 4 && NDPI_MINOR == 2

typedef int (*cmp_fn)(NDPI_PROTOCOL_BITMASK, NDPI_PROTOCOL_BITMASK);

static cmp_fn lib_cmp(void)
{
    cmp_fn f;
    void *p = dlsym(RTLD_NEXT, "NDPI_BITMASK_COMPARE");
    memcpy(&f, &p, sizeof f);
    return f;
}

static void test_is_the_process_definition(void **state)
{
    (void)state;
    cmp_fn lib = lib_cmp(), ours = NDPI_BITMASK_COMPARE;
    void *dflt = dlsym(RTLD_DEFAULT, "NDPI_BITMASK_COMPARE");
    assert_non_null(lib);
    assert_true((void *)lib != (void *)ours);
    /* What libndpi's PLT binds to: the executable's definition, not its own. */
    assert_true(dflt == (void *)ours);
}

static void test_each_bit_matches_libndpi(void **state)
{
    (void)state;
    cmp_fn lib = lib_cmp();
    NDPI_PROTOCOL_BITMASK a, b, none;
    NDPI_BITMASK_RESET(none);
    assert_int_equal(NDPI_BITMASK_COMPARE(none, none), 0);
    for (unsigned i = 0; i < NDPI_NUM_BITS; i++) {
        NDPI_BITMASK_RESET(a);
        NDPI_ADD_PROTOCOL_TO_BITMASK(a, i);
        for (unsigned j = 0; j < NDPI_NUM_BITS; j += 7) {
            NDPI_BITMASK_RESET(b);
            NDPI_ADD_PROTOCOL_TO_BITMASK(b, j);
            assert_int_equal(NDPI_BITMASK_COMPARE(a, b) != 0, lib(a, b) != 0);
            assert_int_equal(NDPI_BITMASK_COMPARE(a, b) != 0, i == j);
        }
        assert_int_not_equal(NDPI_BITMASK_COMPARE(a, a), 0);
        assert_int_equal(NDPI_BITMASK_COMPARE(a, none), 0);
    }
}

static void test_dense_masks_match_libndpi(void **state)
{
    (void)state;
    cmp_fn lib = lib_cmp();
    uint64_t s = 0x9e3779b97f4a7c15ull; /* xorshift: any fixed sequence will do */
    for (int n = 0; n < 20000; n++) {
        NDPI_PROTOCOL_BITMASK a, b;
        for (size_t w = 0; w < NDPI_NUM_FDS_BITS; w++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            a.fds_bits[w] = (ndpi_ndpi_mask)s;
            /* sparse second mask, so that both answers occur often */
            b.fds_bits[w] = (ndpi_ndpi_mask)((s >> 32) & (s >> 40) & (s >> 48));
        }
        assert_int_equal(NDPI_BITMASK_COMPARE(a, b) != 0, lib(a, b) != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_the_process_definition),
        cmocka_unit_test(test_each_bit_matches_libndpi),
        cmocka_unit_test(test_dense_masks_match_libndpi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#else
int main(void)
{
    return 0; /* the replacement exists only for nDPI 4.2 */
}
#endif
