package io.capconduit.leads;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * First step of an import: parses the file (on a {@link ChunkProducer} thread) and COPYs each chunk into the
 * import's own UNLOGGED staging table, rejects into {@code lead_import_rejects}. Each chunk commits together
 * with the last row it covered in the step's execution context, so a restart resumes after that row: no row
 * twice, none missed. Nothing reaches {@code leads} here, so a file that turns out bad half-way leaves no lead.
 */
class StagingTasklet implements Tasklet, StepExecutionListener {

    static final String POSITION = "stage.lastRow";
    static final String STAGED = "stage.staged";
    /** The file's size and modification time when its reading began, to tell a restart the file changed since. */
    static final String FILE_STATE = "stage.fileState";
    /** The workbook's sheet that was read, then its other visible sheets, tab-separated (only when there are some). */
    static final String SHEETS = "stage.sheets";
    private static final String STAGE_COLUMNS = "(row_number, phone, time_zone, time_zones, first_name, last_name, full_name, "
            + "email, address, city, state, postal_code, country, extra, raw_phone)";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final PhoneNumbers phones;
    private final Path file;
    private final String mapping;
    private final String region;
    private final int chunkSize;
    private final boolean leadIds;
    private ChunkProducer producer;
    private String stageTable;

    StagingTasklet(DataSource dataSource, PhoneNumbers phones, Path file, String mapping, String region,
            int chunkSize, boolean leadIds) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.phones = phones;
        this.file = file;
        this.mapping = mapping;
        this.region = region;
        this.chunkSize = chunkSize;
        this.leadIds = leadIds;
    }

    /** The staging table of one import; the id is a number, so naming a table after it injects nothing. */
    static String stageTable(long jobInstanceId) {
        return "lead_import_stage_" + jobInstanceId;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        long instanceId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
        stageTable = stageTable(instanceId);
        ExecutionContext context = stepExecution.getExecutionContext();
        // gone although earlier chunks committed: dropped with their rejects when the file was refused (or by the
        // history purge), so even chunks that staged no row have to be read again
        boolean dropped = jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, stageTable);
        // a lead row takes its id here, in file order, whichever connection of the merge inserts it (V9_8_0)
        jdbc.execute("CREATE UNLOGGED TABLE IF NOT EXISTS " + stageTable + " (LIKE lead_import_stage INCLUDING DEFAULTS"
                + (leadIds ? ", lead_id bigint NOT NULL DEFAULT nextval('leads_id_seq'))" : ")"));
        Long present = jdbc.queryForObject("SELECT count(*) FROM " + stageTable, Long.class);
        // a server file corrected in place since the run that stopped: the rows staged came from the old file, and
        // the row to resume after may now be another row
        String fileState = fileState(file);
        boolean changed = context.containsKey(FILE_STATE) && !fileState.equals(context.getString(FILE_STATE));
        if (dropped || changed || present == null || present != context.getLong(STAGED, 0L)) {
            // A PostgreSQL crash empties UNLOGGED tables (or a bad file dropped it), or the file is another one now:
            // start the file over.
            jdbc.execute("TRUNCATE " + stageTable);
            context.putInt(POSITION, 0);
            context.putLong(STAGED, 0L);
        }
        context.putString(FILE_STATE, fileState);
        int position = context.getInt(POSITION, 0);
        jdbc.update("DELETE FROM lead_import_rejects WHERE job_instance_id = ? AND row_number > ?", instanceId,
                position);
        // A restart's counts start from what the committed chunks hold, so the newest execution describes the
        // file once (read = staged + rejected), whether it resumes after a chunk or reads the file from row 0.
        long staged = context.getLong(STAGED, 0L);
        long rejected = jdbc.queryForObject("SELECT count(*) FROM lead_import_rejects WHERE job_instance_id = ?",
                Long.class, instanceId);
        stepExecution.setReadCount(staged + rejected);
        stepExecution.setWriteCount(staged);
        stepExecution.setProcessSkipCount(rejected);
        producer = new ChunkProducer(file, mapping, region, instanceId, position, chunkSize, phones, !leadIds);
        Thread parser = new Thread(producer, "lead-import-parser-" + stepExecution.getId());
        parser.setDaemon(true);
        parser.start();
    }

    /** Size and modification time, what changes when a file is written again; empty when it is gone. */
    private static String fileState(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        }
        catch (IOException ex) {
            return "";
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        ChunkProducer.Chunk chunk = producer.take();
        if (chunk.failure() != null) {
            throw chunk.failure();
        }
        copy(chunk);
        StepExecution step = contribution.getStepExecution();
        step.setReadCount(step.getReadCount() + chunk.read());
        contribution.incrementWriteCount(chunk.staged());
        contribution.incrementProcessSkipCount(chunk.rejected());
        ExecutionContext context = step.getExecutionContext();
        context.putInt(POSITION, chunk.lastRow());
        context.putLong(STAGED, context.getLong(STAGED, 0L) + chunk.staged());
        // the merge step checks the staging table still holds them (a database crash empties UNLOGGED tables)
        step.getJobExecution().getExecutionContext().putLong(STAGED, context.getLong(STAGED));
        if (chunk.last() && producer.sheets().size() > 1) {
            step.getJobExecution().getExecutionContext().putString(SHEETS, String.join("\t", producer.sheets()));
        }
        return chunk.last() ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (producer != null) {
            producer.stop();
        }
        return null;
    }

    private void copy(ChunkProducer.Chunk chunk) throws SQLException, IOException {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            if (chunk.stage().length > 0) {
                copy.copyIn("COPY " + stageTable + " " + STAGE_COLUMNS + " FROM STDIN",
                        new ByteArrayInputStream(chunk.stage()));
            }
            if (chunk.rejects().length > 0) {
                copy.copyIn("COPY lead_import_rejects (job_instance_id, row_number, raw_value, reason) FROM STDIN",
                        new ByteArrayInputStream(chunk.rejects()));
            }
        }
        finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
