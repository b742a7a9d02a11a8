package io.capconduit.calls;

import io.capconduit.system.ArrayListTypeHandler;

/**
 * A PostgreSQL {@code bigint[]} column as a {@code List<Long>}, named as the typeHandler of its column. Outside
 * the scanned type-handler package, so it is never the default handler of every {@code List}.
 */
public class BigintArrayTypeHandler extends ArrayListTypeHandler<Long> {

    public BigintArrayTypeHandler() {
        super("bigint", value -> value == null ? null : ((Number) value).longValue());
    }
}
