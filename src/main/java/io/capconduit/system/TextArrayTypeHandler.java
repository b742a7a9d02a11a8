package io.capconduit.system;

import java.util.List;

import org.apache.ibatis.type.MappedTypes;

/**
 * A PostgreSQL {@code text[]} column as a {@code List<String>} (name it as the typeHandler of the column). This
 * package is MyBatis' type-handler package, so it is also the default handler of a {@code List}: MyBatis would
 * read the element type off the generic superclass and take it for every {@code String}, hence the mapped type.
 */
@MappedTypes(List.class)
public class TextArrayTypeHandler extends ArrayListTypeHandler<String> {

    public TextArrayTypeHandler() {
        super("text", String::valueOf);
    }
}
