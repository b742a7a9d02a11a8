package io.capconduit.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.session.RowBounds;

import org.springframework.stereotype.Component;

/**
 * Counts the SQL statements MyBatis runs, for N+1 tests, in all and per mapped statement. A plain component in a
 * test package, so component scanning puts it in every test context (one shared context, no customisation); it
 * costs two increments.
 */
@Component
@Intercepts({
        @Signature(type = Executor.class, method = "query",
                args = {MappedStatement.class, Object.class, RowBounds.class, ResultHandler.class}),
        @Signature(type = Executor.class, method = "update", args = {MappedStatement.class, Object.class})})
public class SqlStatementCounter implements Interceptor {

    private final AtomicLong count = new AtomicLong();
    private final Map<String, AtomicLong> byStatement = new ConcurrentHashMap<>();

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        count.incrementAndGet();
        String id = ((MappedStatement) invocation.getArgs()[0]).getId();
        byStatement.computeIfAbsent(id, any -> new AtomicLong()).incrementAndGet();
        return invocation.proceed();
    }

    public long count() {
        return count.get();
    }

    /** How many times one mapped statement ran, e.g. {@code io.capconduit.accounts.SignInFailureMapper.clear}. */
    public long count(String statementId) {
        AtomicLong counted = byStatement.get(statementId);
        return counted == null ? 0 : counted.get();
    }
}
