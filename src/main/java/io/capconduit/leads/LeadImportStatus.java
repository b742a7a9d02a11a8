package io.capconduit.leads;

import java.time.Instant;

/**
 * Where an import stands, by any of its execution ids (a restart's status is the import's status). Rows read
 * grows while the file is staged; imported and duplicates are known once the merge committed.
 */
record LeadImportStatus(long executionId, String jobName, Long listId, String fileName, String status,
        String message, long rowsRead, long imported, long duplicates, long rejected, Instant startTime,
        Instant endTime, String rejectsCsvUrl, String rejectsXlsxUrl) {
}
