package io.capconduit.system.graphql;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import io.capconduit.system.InvalidInputException;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * The API's scalars (declared in {@code graphql-schema/common.graphqls}), all ISO 8601 strings:
 * {@code DateTime} an instant with offset ("2026-11-22T14:05:00Z"), {@code Date} a calendar day,
 * {@code LocalTime} a wall-clock time ("09:00").
 */
@Configuration(proxyBeanMethods = false)
class ScalarsConfiguration {

    @Bean
    RuntimeWiringConfigurer scalars() {
        return wiring -> wiring
                .scalar(scalar("DateTime", "an ISO 8601 date-time with offset, e.g. 2026-11-22T14:05:00Z",
                        ScalarsConfiguration::instant, Instant.class))
                .scalar(scalar("Date", "an ISO 8601 date, e.g. 2026-11-22", LocalDate::parse, LocalDate.class))
                .scalar(scalar("LocalTime", "a time of day, e.g. 09:00 or 17:30:00", LocalTime::parse,
                        LocalTime.class));
    }

    private static Instant instant(String text) {
        return OffsetDateTime.parse(text).toInstant();
    }

    private static <T> GraphQLScalarType scalar(String name, String expected, Function<String, T> parse,
            Class<T> type) {
        Coercing<T, String> coercing = new Coercing<>() {
            @Override
            public String serialize(Object value, GraphQLContext context, Locale locale) {
                if (value instanceof OffsetDateTime odt) {
                    return odt.toInstant().toString();
                }
                if (value instanceof ZonedDateTime zdt) {
                    return zdt.toInstant().toString();
                }
                if (type.isInstance(value)) {
                    return value.toString();
                }
                throw new CoercingSerializeException(name + " cannot hold a " + value.getClass().getSimpleName());
            }

            @Override
            public T parseValue(Object input, GraphQLContext context, Locale locale) {
                if (input instanceof String text) {
                    try {
                        return parse.apply(text);
                    }
                    catch (DateTimeParseException ex) {
                        throw new CoercingParseValueException("Invalid " + name + " '"
                                + InvalidInputException.shown(text) + "': expected " + expected);
                    }
                }
                throw new CoercingParseValueException("Invalid " + name + ": expected " + expected);
            }

            @Override
            public T parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                    Locale locale) {
                if (input instanceof StringValue text) {
                    try {
                        return parse.apply(text.getValue());
                    }
                    catch (DateTimeParseException ex) {
                        throw new CoercingParseLiteralException("Invalid " + name + " '"
                                + InvalidInputException.shown(text.getValue()) + "': expected " + expected);
                    }
                }
                throw new CoercingParseLiteralException("Invalid " + name + ": expected " + expected);
            }
        };
        return GraphQLScalarType.newScalar().name(name).description(expected).coercing(coercing).build();
    }
}
