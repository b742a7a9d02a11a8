package io.capconduit.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks a Relay connection page by page as a client does, passing each page's endCursor back as {@code after}, and
 * checks what every keyset list promises: no cursor twice. The document takes {@code $after} and selects
 * {@code edges { cursor node { ... } } pageInfo { hasNextPage endCursor }} of {@code connection}.
 */
public final class ConnectionWalk {

    private static final ParameterizedTypeReference<Map<String, Object>> NODE = new ParameterizedTypeReference<>() {
    };

    private ConnectionWalk() {
    }

    /** Every node of every page, in order. */
    public static List<Map<String, Object>> nodes(GraphQlTester tester, String document, String connection,
            Map<String, Object> variables) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String after = null;
        do {
            GraphQlTester.Request<?> request = tester.document(document).variable("after", after);
            for (Map.Entry<String, Object> variable : variables.entrySet()) {
                request = request.variable(variable.getKey(), variable.getValue());
            }
            GraphQlTester.Response page = request.execute();
            nodes.addAll(page.path(connection + ".edges[*].node").entityList(NODE).get());
            cursors.addAll(page.path(connection + ".edges[*].cursor").entityList(String.class).get());
            after = page.path(connection + ".pageInfo.hasNextPage").entity(Boolean.class).get()
                    ? page.path(connection + ".pageInfo.endCursor").entity(String.class).get() : null;
        } while (after != null);
        assertThat(cursors).hasSize(nodes.size());
        return nodes;
    }

    /** The ids of every node (which selects {@code id startTime}), checked to come newest start time first. */
    public static List<Long> idsNewestFirst(GraphQlTester tester, String document, String connection,
            Map<String, Object> variables) {
        List<Map<String, Object>> nodes = nodes(tester, document, connection, variables);
        assertThat(nodes).extracting(node -> Instant.parse((String) node.get("startTime")))
                .isSortedAccordingTo(Comparator.reverseOrder());
        return nodes.stream().map(node -> Long.valueOf((String) node.get("id"))).toList();
    }
}
