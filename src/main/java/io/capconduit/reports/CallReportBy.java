package io.capconduit.reports;

/** What a report groups calls by. */
public enum CallReportBy {
    SELLER, CAMPAIGN, CLIENT, DID
}
