package io.capconduit.leads;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Lead import settings ({@code capconduit.lead-import.*}).
 *
 * @param uploadFolder where uploaded files are kept while (and after) they are imported
 * @param serverFolder the only folder the "import a file already on the server" mutation may read from
 * @param inboxFolder polled by leadInboxJob: {@code <inbox>/<listId>/file.xlsx} imports into that list,
 * {@code <inbox>/dnc/file.csv} into the DNC list; files are imported from {@code processing/} (where a file
 * whose import stopped on an internal error waits for the next poll, which restarts it), then move to
 * {@code done/} or {@code failed/}
 * @param chunkSize rows per committed chunk (and per restart checkpoint)
 * @param concurrentImports imports that run at the same time; more wait in line
 * @param inboxSettleSeconds an inbox file written more recently than this (its status change time on Unix, else
 * its modification time) is left for the next poll (still being copied in)
 * @param inboxDncRegion the region the numbers of inbox DNC files ({@code <inbox>/dnc/}) are read in when they have
 * no country code (ISO 3166, e.g. GB)
 * @param mergeParts connections that insert a large import's leads at once (two-phase commit, V9_8_0); 1 inserts
 * on one connection. Parts need PostgreSQL's {@code max_prepared_transactions} of at least this (times
 * concurrentImports); with less, a merge runs on one connection.
 * @param mergePartsFromRows the fewest staged rows merged in parts: below it one connection is as fast
 */
@ConfigurationProperties("capconduit.lead-import")
record LeadImportProperties(@DefaultValue("./data/lead-import/uploads") Path uploadFolder,
        @DefaultValue("./data/lead-import/server") Path serverFolder,
        @DefaultValue("./data/lead-import/inbox") Path inboxFolder,
        @DefaultValue("20000") int chunkSize,
        @DefaultValue("2") int concurrentImports,
        @DefaultValue("10") int inboxSettleSeconds,
        @DefaultValue("US") String inboxDncRegion,
        @DefaultValue("2") int mergeParts,
        @DefaultValue("100000") long mergePartsFromRows) {

    LeadImportProperties {
        // checked at start-up: a region that is none failed every inbox run, after moving a DNC file to processing/
        inboxDncRegion = PhoneNumbers.region("capconduit.lead-import.inbox-dnc-region", inboxDncRegion);
    }
}
