package io.capconduit.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Every statement the application sends PostgreSQL through its DataSource, JdbcTemplate, MyBatis, Spring Batch and
 * Quartz alike (not only MyBatis', as {@link SqlStatementCounter}): the DataSource is wrapped, and each execute of a
 * statement it hands out is recorded while {@link #during} runs. Import it into a test context of its own
 * ({@code @Import(SentStatements.class)}); the shared context's DataSource stays as it is.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SentStatements {

    private static final List<Sent> recorded = new ArrayList<>();

    private static volatile boolean recording;

    /** One statement sent: its SQL (null for a plain Statement's batch) and the thread that sent it. */
    public record Sent(String sql, String thread) {
    }

    @Bean
    static BeanPostProcessor sentStatementsDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource dataSource && !(bean instanceof Counting) ? new Counting(dataSource)
                        : bean;
            }
        };
    }

    /** The statements sent while {@code action} ran, on any thread. */
    public static List<Sent> during(Runnable action) {
        synchronized (recorded) {
            recorded.clear();
            recording = true;
        }
        try {
            action.run();
        }
        finally {
            recording = false;
        }
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The SQL texts sent more than once, with how many times: what a fan-out looks like. */
    public static Map<String, Long> repeated(List<Sent> sent) {
        return sent.stream().collect(Collectors.groupingBy(s -> String.valueOf(s.sql()).replaceAll("\\s+", " "),
                        LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static void record(String sql) {
        if (recording) {
            synchronized (recorded) {
                recorded.add(new Sent(sql, Thread.currentThread().getName()));
            }
        }
    }

    private static final class Counting extends DelegatingDataSource {

        Counting(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connection(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return connection(super.getConnection(username, password));
        }

        private static Connection connection(Connection target) {
            return proxy(Connection.class, target, null, (method, args, result) -> {
                if (result instanceof Statement statement && method.getName().startsWith("prepare")) {
                    return statement(statement, (String) args[0]);
                }
                return result instanceof Statement statement ? statement(statement, null) : result;
            });
        }

        private static Statement statement(Statement target, String prepared) {
            Class<? extends Statement> type = target instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                    : target instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
            return proxy(type, target, prepared, (method, args, result) -> result);
        }
    }

    private interface After {
        Object apply(Method method, Object[] args, Object result) throws Exception;
    }

    /** A proxy that records each execute* of a statement; statements and connections compare by identity. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, String prepared, After after) {
        InvocationHandler handler = (self, method, args) -> {
            switch (method.getName()) {
                case "equals" -> {
                    return self == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(self);
                }
                case "toString" -> {
                    return "Counting " + target;
                }
                default -> {
                }
            }
            if (Statement.class.isAssignableFrom(type) && method.getName().startsWith("execute")) {
                record(args != null && args.length > 0 && args[0] instanceof String sql ? sql : prepared);
            }
            try {
                return after.apply(method, args, method.invoke(target, args));
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(SentStatements.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
