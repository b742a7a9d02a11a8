package io.capconduit.support;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The plan PostgreSQL picks for a statement of the application on tables the size a years-old installation has,
 * without touching the shared test data: each table named is shadowed, in one rolled-back transaction, by a temporary
 * copy with the same columns and indexes ({@code LIKE ... INCLUDING ALL}; a session reads its temporary tables
 * before the schema's), filled by the given statements and analysed, then the statement is explained.
 */
public final class ShadowTablePlans {

    private final TransactionTemplate transaction;
    private final JdbcTemplate jdbc;

    public ShadowTablePlans(PlatformTransactionManager transactions, JdbcTemplate jdbc) {
        this.transaction = new TransactionTemplate(transactions);
        this.jdbc = jdbc;
    }

    /** A statement and its arguments. */
    public record Query(String sql, Object... arguments) {
    }

    /** The text of {@code EXPLAIN sql} with {@code arguments} bound, on {@code tables} filled by {@code fill}. */
    public String explain(List<String> tables, List<String> fill, String sql, Object... arguments) {
        return explain(tables, fill, List.of(new Query(sql, arguments))).get(0);
    }

    /** The plans of {@code queries}, on {@code tables} filled once by {@code fill}. */
    public List<String> explain(List<String> tables, List<String> fill, List<Query> queries) {
        return transaction.execute(status -> {
            status.setRollbackOnly();
            for (String table : tables) {
                jdbc.execute("CREATE TEMPORARY TABLE " + table + " (LIKE public." + table + " INCLUDING ALL) "
                        + "ON COMMIT DROP");
            }
            fill.forEach(jdbc::execute);
            tables.forEach(table -> jdbc.execute("ANALYZE pg_temp." + table));
            return queries.stream().map(query -> String.join("\n",
                    jdbc.queryForList("EXPLAIN " + query.sql(), String.class, query.arguments()))).toList();
        });
    }
}
