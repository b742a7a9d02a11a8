package io.capconduit.system;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** A PostgreSQL array column as a {@code List}: {@code elementType} is the SQL type of its elements. */
public abstract class ArrayListTypeHandler<T> extends BaseTypeHandler<List<T>> {

    private final String elementType;
    private final Function<Object, T> element;

    protected ArrayListTypeHandler(String elementType, Function<Object, T> element) {
        this.elementType = elementType;
        this.element = element;
    }

    @Override
    public void setNonNullParameter(PreparedStatement statement, int index, List<T> values, JdbcType jdbcType)
            throws SQLException {
        statement.setArray(index, statement.getConnection().createArrayOf(elementType, values.toArray()));
    }

    @Override
    public List<T> getNullableResult(ResultSet rs, String column) throws SQLException {
        return list(rs.getArray(column));
    }

    @Override
    public List<T> getNullableResult(ResultSet rs, int index) throws SQLException {
        return list(rs.getArray(index));
    }

    @Override
    public List<T> getNullableResult(CallableStatement cs, int index) throws SQLException {
        return list(cs.getArray(index));
    }

    private List<T> list(Array array) throws SQLException {
        return array == null ? null : Arrays.stream((Object[]) array.getArray()).map(element).toList();
    }
}
