package io.tunnelgate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bucket's arithmetic against values computed by hand from ngx_http_limit_req_module's formulas. */
class LeakyBucketTest {
    @Test
    void ratesAreMilliRequestsPerSecondRoundedDownAsNginxDoes() {
        assertThat(LeakyBucket.rate(1, false)).isEqualTo(1000);
        assertThat(LeakyBucket.rate(10, false)).isEqualTo(10_000);
        // 1000 / 60 = 16.66..., nginx keeps 16: a 1r/m bucket leaks a little slower than one per minute
        assertThat(LeakyBucket.rate(1, true)).isEqualTo(16);
        assertThat(LeakyBucket.rate(30, true)).isEqualTo(500);
    }

    @Test
    void excessIsThePreviousMinusWhatLeakedPlusOneRequestAndNeverNegative() {
        // 1r/s: an immediate second request is one full request over
        assertThat(LeakyBucket.excess(0, 1000, 0)).isEqualTo(1000);
        // 1500 - 1000 * 500 / 1000 + 1000
        assertThat(LeakyBucket.excess(1500, 1000, 500)).isEqualTo(2000);
        // 1000 - 1000 * 2000 / 1000 + 1000 = 0
        assertThat(LeakyBucket.excess(1000, 1000, 2000)).isZero();
        assertThat(LeakyBucket.excess(0, 1000, 5000)).isZero();
        // 1r/m after one second: 0 - 16 * 1000 / 1000 + 1000
        assertThat(LeakyBucket.excess(0, 16, 1000)).isEqualTo(984);
        // integer division drops the fraction: 16 * 62 / 1000 = 0
        assertThat(LeakyBucket.excess(0, 16, 62)).isEqualTo(1000);
        assertThat(LeakyBucket.excess(0, 16, 63)).isEqualTo(999);
    }

    @Test
    void elapsedTimeIsClampedAsNginxClampsClockJumps() {
        assertThat(LeakyBucket.elapsed(5000, 2000)).isEqualTo(3000);
        assertThat(LeakyBucket.elapsed(2000, 2100)).isZero();
        assertThat(LeakyBucket.elapsed(0, 60_001)).isEqualTo(1);
        assertThat(LeakyBucket.elapsed(0, LeakyBucket.NEVER)).isGreaterThan(1L << 40);
        // a never-accounted entry is drained whatever the rate, without overflow
        assertThat(LeakyBucket.excess(0, 16, LeakyBucket.elapsed(-5, LeakyBucket.NEVER))).isEqualTo(0);
        assertThat(LeakyBucket.excess(0, Long.MAX_VALUE / 4, 3)).isZero();
    }

    @Test
    void delayIsTheExcessAboveTheThresholdOverTheRate() {
        // burst without nodelay (delay 0) at 1r/s: an excess of 1.500 waits 1.5 s
        assertThat(LeakyBucket.delayMillis(1500, 0, 1000)).isEqualTo(1500);
        // delay=1 at 2r/s: (2000 - 1000) * 1000 / 2000
        assertThat(LeakyBucket.delayMillis(2000, 1000, 2000)).isEqualTo(500);
        // 1r/m: (1000 - 0) * 1000 / 16 = 62500 ms
        assertThat(LeakyBucket.delayMillis(1000, 0, 16)).isEqualTo(62_500);
        assertThat(LeakyBucket.delayMillis(1000, 1000, 1000)).isZero();
        assertThat(LeakyBucket.delayMillis(5000, ReqLimiter.Limit.NO_DELAY, 1000)).isZero();
        // a fast rate can make a small excess round down to no wait at all, as in nginx
        assertThat(LeakyBucket.delayMillis(1, 0, 1_000_000)).isZero();
    }

    @Test
    void anEntryExpiresOnlyAfterAMinuteIdleAndOnceDrained() {
        assertThat(LeakyBucket.expired(59_999, 0, 0, 1000)).isFalse();
        assertThat(LeakyBucket.expired(60_000, 0, 0, 1000)).isTrue();
        // 1r/m holding 2000: after 60 s only 16 * 60 = 960 leaked
        assertThat(LeakyBucket.expired(60_000, 0, 2000, 16)).isFalse();
        assertThat(LeakyBucket.expired(125_000, 0, 2000, 16)).isTrue();
        // nginx takes the distance either way
        assertThat(LeakyBucket.expired(0, 60_000, 0, 1000)).isTrue();
    }

    @Test
    void excessIsPrintedAsNginxPrintsIt() {
        assertThat(LeakyBucket.format(1000)).isEqualTo("1.000");
        assertThat(LeakyBucket.format(16)).isEqualTo("0.016");
        assertThat(LeakyBucket.format(984)).isEqualTo("0.984");
        assertThat(LeakyBucket.format(12_345)).isEqualTo("12.345");
        assertThat(LeakyBucket.format(0)).isEqualTo("0.000");
    }
}
