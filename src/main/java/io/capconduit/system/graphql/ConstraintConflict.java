package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import graphql.schema.GraphQLFieldDefinition;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What a change conflicts with, for the constraints a mutation can run into (SQLSTATE class 23): each unique value
 * a service checks before writing, which two requests passing that check at once still collide on. Said in our words
 * and naming the input field it concerns ({@code input.number: a DID with this number already exists}), never with
 * the SQL or the values; a constraint not listed here gets the generic refusal.
 */
record ConstraintConflict(List<String> fields, String reason) {

    /** By the constraint's (or unique index's) name, as PostgreSQL reports it. */
    private static final Map<String, ConstraintConflict> KNOWN = Map.ofEntries(
            conflict("sellers_name_key", "a seller with this name already exists", "name"),
            conflict("users_username_key", "a user with this user name already exists", "username"),
            conflict("asterisk_servers_name_key", "an Asterisk server with this name already exists", "name"),
            conflict("trunks_name_key", "a trunk with this name already exists", "name"),
            conflict("trunks_endpoint_key", "a trunk with this endpoint already exists", "endpoint"),
            conflict("clients_name_key", "a client with this name already exists", "name"),
            conflict("clients_endpoint_key", "a client with this endpoint already exists", "endpoint"),
            conflict("campaigns_seller_id_name_key", "this seller has a campaign with this name already", "name"),
            conflict("dids_number_key", "a DID with this number already exists", "number"),
            conflict("lead_lists_name_uidx", "a lead list of the same owner with this name already exists", "name"),
            conflict("agents_extension_key", "another agent has this extension already", "extension"),
            conflict("agents_endpoint_key", "another agent has this extension already", "extension"),
            // an agent's endpoint is agent-<extension>; a client's or trunk's is the one given or made for it
            conflict("ps_endpoints_id_key", "a PJSIP endpoint with this id already exists", "endpoint", "extension"),
            conflict("ps_aors_id_key", "a PJSIP endpoint with this id already exists", "endpoint", "extension"),
            conflict("ps_auths_id_key", "a PJSIP endpoint with this id already exists", "endpoint", "extension"));

    private static Map.Entry<String, ConstraintConflict> conflict(String constraint, String reason, String... fields) {
        return Map.entry(constraint, new ConstraintConflict(List.of(fields), reason));
    }

    /** The names this knows, for a test to hold them to the schema's constraints. */
    static Set<String> constraints() {
        return KNOWN.keySet();
    }

    /** The conflict the database reported in {@code cause}, if its constraint is one of those known. */
    static Optional<ConstraintConflict> of(Throwable cause) {
        ServerErrorMessage server = cause instanceof PSQLException pg ? pg.getServerErrorMessage() : null;
        return Optional.ofNullable(server == null || server.getConstraint() == null ? null
                : KNOWN.get(server.getConstraint()));
    }

    /** The first of the fields that {@code operation}'s arguments hold, by its path; null if none. */
    String field(GraphQLFieldDefinition operation) {
        for (String field : fields) {
            String path = ArgumentPaths.qualified(field, operation);
            if (operation != null && operation.getArgument(ArgumentPaths.head(path)) != null) {
                return path;
            }
        }
        return null;
    }
}
