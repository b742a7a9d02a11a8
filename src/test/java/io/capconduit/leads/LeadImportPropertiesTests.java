package io.capconduit.leads;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbox's DNC region is checked when the settings are bound, at start-up: a typo there (UK for GB) failed
 * every inbox run instead, after moving the first DNC file to processing/.
 */
class LeadImportPropertiesTests {

    @Test
    void anInboxDncRegionThatIsNoRegionFailsTheStartWithTheReason() {
        assertThatThrownBy(() -> bind("UK")).isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("'UK' is not a region code phone numbers are read in");
    }

    @Test
    void anInboxDncRegionIsUpperCased() {
        assertThat(bind(" gb ").inboxDncRegion()).isEqualTo("GB");
    }

    private static LeadImportProperties bind(String region) {
        return new Binder(new MapConfigurationPropertySource(Map.of("capconduit.lead-import.inbox-dnc-region", region)))
                .bindOrCreate("capconduit.lead-import", LeadImportProperties.class);
    }
}
