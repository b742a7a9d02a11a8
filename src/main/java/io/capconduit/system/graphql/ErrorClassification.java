package io.capconduit.system.graphql;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import io.capconduit.system.QueryTimedOutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;

/**
 * Turns the application's exceptions into classified GraphQL errors ({@code extensions.classification}).
 * Access denied is classified by Spring GraphQL's security resolver (FORBIDDEN / UNAUTHORIZED); anything
 * unexpected stays INTERNAL_ERROR with Spring's generic message, so no SQL or stack trace reaches a caller.
 */
@Component
class ErrorClassification extends DataFetcherExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(ErrorClassification.class);

    /**
     * SQLSTATEs of values an argument can carry: string too long, numeric out of range, bad datetime format,
     * datetime out of range, a character UTF-8 cannot hold (a NUL byte), bad text for a type, untranslatable.
     */
    private static final Set<String> ARGUMENT_DATA_ERRORS = Set.of("22001", "22003", "22007", "22008", "22021",
            "22P02", "22P05");

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        GraphQLError ours = applicationError(ex, GraphqlErrorBuilder.newError(env), env.getFieldDefinition());
        if (ours != null) {
            return ours;
        }
        if (ex instanceof DataIntegrityViolationException conflict
                && conflict.getMostSpecificCause() instanceof SQLException sql && sql.getSQLState() != null
                && sql.getSQLState().startsWith("22")) {
            if (!ARGUMENT_DATA_ERRORS.contains(sql.getSQLState())) {
                // a data exception no argument explains (division by zero, say): ours, reported as internal
                log.warn("Data exception in {}", env.getField().getName(), sql);
                return null;
            }
            // a value the database cannot take (a NUL byte in a string, a date out of range), whatever the
            // statement: said in our words, naming the argument holding it where one alone can, never the SQL
            log.info("Data exception in {}: {}", env.getField().getName(), sql.getMessage());
            RefusedValue refused = RefusedValue.of(sql, env.getArguments());
            return error(env, ErrorType.BAD_REQUEST, refused.message(),
                    refused.field() == null ? Map.of() : Map.of("field", refused.field()));
        }
        if (ex instanceof DataIntegrityViolationException conflict) {
            // A constraint the service did not check first (a race, usually): say so without the SQL.
            log.info("Constraint violation in {}: {}", env.getField().getName(), conflict.getMostSpecificCause().getMessage());
            Optional<ConstraintConflict> known = ConstraintConflict.of(conflict.getMostSpecificCause());
            String field = known.map(c -> c.field(env.getFieldDefinition())).orElse(null);
            if (field != null) {
                return error(env, ErrorType.BAD_REQUEST, field + ": " + known.get().reason(), Map.of("field", field));
            }
            if (known.isPresent()) {
                return error(env, ErrorType.BAD_REQUEST, "The change conflicts with existing data: "
                        + known.get().reason(), Map.of());
            }
            return error(env, ErrorType.BAD_REQUEST, "The change conflicts with existing data (a duplicate or a "
                    + "reference to something that no longer exists)", Map.of());
        }
        return null;
    }

    /**
     * The application's own refusals, classified: a bad argument (BAD_REQUEST, naming its field by its path from
     * {@code operation}'s arguments, {@link ArgumentPaths}), an unknown or unseen object (NOT_FOUND) and a read past
     * its statement timeout (BAD_REQUEST); null for anything else. Queries and subscriptions
     * ({@link SubscriptionErrorClassification}, whose arguments are all top-level) classify them alike.
     */
    static GraphQLError applicationError(Throwable ex, GraphqlErrorBuilder<?> error, GraphQLFieldDefinition operation) {
        if (ex instanceof InvalidInputException refused) {
            InvalidInputException invalid = refused.at(ArgumentPaths.qualified(refused.field(), operation));
            return error.errorType(ErrorType.BAD_REQUEST).message(invalid.getMessage())
                    .extensions(Map.of("field", invalid.field())).build();
        }
        if (ex instanceof NotFoundException) {
            return error.errorType(ErrorType.NOT_FOUND).message(ex.getMessage()).build();
        }
        if (ex instanceof QueryTimedOutException timedOut) {
            // the caller asked for more than the database may spend on one read: theirs to narrow, not our fault
            return error.errorType(ErrorType.BAD_REQUEST).message(timedOut.getMessage())
                    .extensions(Map.of("timeoutMillis", timedOut.limit().toMillis())).build();
        }
        return null;
    }

    private static GraphQLError error(DataFetchingEnvironment env, ErrorType type, String message,
            Map<String, Object> extensions) {
        return GraphqlErrorBuilder.newError(env).errorType(type).message(message).extensions(extensions).build();
    }
}
