package io.capconduit.dialer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HopperFillRunTests {

    @Test
    void theEmptyReasonNamesTheMainExclusionInGoodEnglishForOneLeadOrMany() {
        assertThat(emptyRun(0, 1).emptyReason()).isEqualTo("1 lead is outside the call window in its time zone");
        assertThat(emptyRun(1, 0).emptyReason()).isEqualTo("1 lead is on the DNC list");
        assertThat(emptyRun(0, 3).emptyReason()).isEqualTo("3 leads are outside the call window in their time zone");
    }

    /** A run of a campaign with a list and room in its hopper that queued nothing. */
    private static HopperFillRun emptyRun(int excludedDnc, int excludedCallWindow) {
        return new HopperFillRun(1L, 1, null, null, 1, 10, 0, 0, 0, excludedDnc, 0, 0, excludedCallWindow,
                excludedDnc + excludedCallWindow, 0, 0, 0);
    }
}
