package io.capconduit.system.graphql;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.TypeInfo;

/**
 * The Int values of an operation's arguments beyond 32 bits, written in the document or held by a variable, each by
 * its path from its field's arguments ({@code first}, {@code input.totalCap}, {@code hours[2].day}) and found under
 * the location graphql-java refuses it at: the argument's (a literal) or the variable's definition (a variable).
 */
final class IntsBeyondRange {

    private static final BigDecimal MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

    private final GraphQLSchema schema;
    private final Map<String, FragmentDefinition> fragments = new HashMap<>();
    private final Set<String> walked = new HashSet<>();
    /** Where each variable is first used: the path of the argument value it stands for. */
    private final Map<String, String> usages = new HashMap<>();
    private final Map<SourceLocation, InputValues.Refused> found = new HashMap<>();

    private IntsBeyondRange(GraphQLSchema schema, Document document) {
        this.schema = schema;
        document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
    }

    /** The values beyond 32 bits of the operation {@code name} picks (the only one when null), by location. */
    static Map<SourceLocation, InputValues.Refused> in(Document document, String name, GraphQLSchema schema,
            Map<String, Object> variables) {
        IntsBeyondRange walk = new IntsBeyondRange(schema, document);
        for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
            if (name == null || name.equals(operation.getName())) {
                walk.selections(operation.getSelectionSet(), root(schema, operation));
                for (VariableDefinition variable : operation.getVariableDefinitions()) {
                    walk.variable(variable, variables);
                }
            }
        }
        return walk.found;
    }

    private static GraphQLType root(GraphQLSchema schema, OperationDefinition operation) {
        return switch (operation.getOperation()) {
            case MUTATION -> schema.getMutationType();
            case SUBSCRIPTION -> schema.getSubscriptionType();
            default -> schema.getQueryType();
        };
    }

    private void selections(SelectionSet selections, GraphQLType parent) {
        if (selections == null) {
            return;
        }
        for (Selection<?> selection : selections.getSelections()) {
            if (selection instanceof Field field) {
                field(field, parent);
            }
            else if (selection instanceof InlineFragment inline) {
                selections(inline.getSelectionSet(), typed(inline.getTypeCondition(), parent));
            }
            // a fragment's arguments sit at the same places wherever it is spread: walked once
            else if (selection instanceof FragmentSpread spread && fragments.get(spread.getName()) != null
                    && walked.add(spread.getName())) {
                FragmentDefinition fragment = fragments.get(spread.getName());
                selections(fragment.getSelectionSet(), typed(fragment.getTypeCondition(), parent));
            }
        }
    }

    private GraphQLType typed(TypeName condition, GraphQLType parent) {
        return condition == null ? parent : schema.getType(condition.getName());
    }

    private void field(Field field, GraphQLType parent) {
        GraphQLFieldDefinition definition = parent instanceof GraphQLFieldsContainer container
                ? container.getFieldDefinition(field.getName()) : null;
        if (definition == null) {
            return;
        }
        for (Argument argument : field.getArguments()) {
            GraphQLArgument declared = definition.getArgument(argument.getName());
            if (declared != null) {
                literal(argument.getValue(), declared.getType(), argument.getName(), argument.getSourceLocation());
            }
        }
        selections(field.getSelectionSet(), GraphQLTypeUtil.unwrapAll(definition.getType()));
    }

    private void literal(Value<?> value, GraphQLInputType type, String path, SourceLocation at) {
        GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
        if (value instanceof VariableReference variable) {
            usages.putIfAbsent(variable.getName(), path);
        }
        else if (inner instanceof GraphQLList list) {
            GraphQLInputType element = (GraphQLInputType) list.getWrappedType();
            if (value instanceof ArrayValue array) {
                List<Value> values = array.getValues();
                for (int i = 0; i < values.size(); i++) {
                    literal(values.get(i), element, path + "[" + i + "]", at);
                }
            }
            else {
                literal(value, element, path, at);
            }
        }
        else if (value instanceof ObjectValue object && inner instanceof GraphQLInputObjectType input) {
            for (ObjectField field : object.getObjectFields()) {
                GraphQLInputObjectField declared = input.getField(field.getName());
                if (declared != null) {
                    literal(field.getValue(), declared.getType(), path + "." + field.getName(), at);
                }
            }
        }
        else if (value instanceof IntValue number && isInt(inner) && beyond(new BigDecimal(number.getValue()))) {
            found.putIfAbsent(at(at), new InputValues.Refused(path, number.getValue()));
        }
    }

    /** A variable's value, else its default (graphql-java refuses either at the variable's definition). */
    private void variable(VariableDefinition variable, Map<String, Object> variables) {
        String path = usages.get(variable.getName());
        GraphQLType type = schema.getType(TypeInfo.typeInfo(variable.getType()).getName());
        GraphQLType declared = path == null || type == null ? null
                : TypeInfo.typeInfo(variable.getType()).decorate(type);
        if (!(declared instanceof GraphQLInputType input)) {
            return;
        }
        if (variables.containsKey(variable.getName())) {
            value(variables.get(variable.getName()), input, path, variable.getSourceLocation());
        }
        else if (variable.getDefaultValue() != null) {
            literal(variable.getDefaultValue(), input, path, variable.getSourceLocation());
        }
    }

    private void value(Object value, GraphQLInputType type, String path, SourceLocation at) {
        InputValues.Refused beyond = InputValues.firstRefused(path, type, value, (scalar, given) -> isInt(scalar)
                && given instanceof Number number && beyond(decimal(number)));
        if (beyond != null) {
            found.putIfAbsent(at(at), beyond);
        }
    }

    /** A location as a key: its line and column, whichever source name the parser gave it. */
    static SourceLocation at(SourceLocation location) {
        return location == null ? null : new SourceLocation(location.getLine(), location.getColumn());
    }

    private static boolean isInt(GraphQLType type) {
        return type instanceof GraphQLScalarType scalar && "Int".equals(scalar.getName());
    }

    private static BigDecimal decimal(Number number) {
        try {
            return new BigDecimal(number.toString());
        }
        catch (NumberFormatException ex) {
            return null; // infinite or not a number: not a whole number at all
        }
    }

    /** A whole number past Int's 32 bits; a fraction is no whole number, refused as graphql-java refuses it. */
    private static boolean beyond(BigDecimal number) {
        return number != null && number.stripTrailingZeros().scale() <= 0
                && (number.compareTo(MIN) < 0 || number.compareTo(MAX) > 0);
    }
}
