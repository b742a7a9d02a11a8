package io.capconduit.system;

/**
 * Published inside the transaction that loaded the demo data, so features can derive their own rows from it
 * (e.g. the PJSIP realtime rows of the demo clients) atomically with it.
 */
public record DemoDataLoadedEvent() {
}
