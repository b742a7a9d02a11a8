package io.capconduit.reports;

/** A seller as the nightly report job reads it. */
record ReportSeller(long id, String name, String timeZone) {
}
