package io.capconduit.leads;

import java.util.List;

import io.capconduit.support.IntegrationTest;
import io.capconduit.support.ShadowTablePlans;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import that read a file is found by an index on its 'file' job parameter: the nightly history purge asks it
 * of every upload kept, and each inbox poll of each file in processing/.
 */
@IntegrationTest
class ImportOfFilePlanIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    /** A month of scheduled runs' parameters (300,000) and a few hundred imports. */
    @Test
    void theLookUpReadsTheFileIndexNotEveryParameter() {
        List<String> fill = List.of("""
                INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, status)
                SELECT g, 1, g, now(), 'COMPLETED' FROM generate_series(1, 100000) g""", """
                INSERT INTO batch_job_execution_params (job_execution_id, parameter_name, parameter_type,
                                                        parameter_value, identifying)
                SELECT g / 3 + 1, CASE WHEN g % 1000 = 0 THEN 'file' ELSE 'firedAt' END, 'java.lang.String',
                       '/data/lead-import/uploads/2026-11-01/' || g || '-leads.xlsx', 'Y'
                FROM generate_series(1, 300000) g""");

        String plan = new ShadowTablePlans(transactions, jdbc).explain(
                List.of("batch_job_execution", "batch_job_execution_params"), fill,
                LeadImportMapper.LAST_EXECUTION_OF_FILE.replace("#{file}", "?"),
                "/data/lead-import/uploads/2026-11-01/5000-leads.xlsx");

        assertThat(plan).contains("Index Cond: ((parameter_value)::text =")
                .doesNotContain("Seq Scan on batch_job_execution_params");
    }
}
