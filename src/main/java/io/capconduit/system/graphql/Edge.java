package io.capconduit.system.graphql;

/** One Relay edge: the node and the cursor that resumes the list right after it. */
public record Edge<T>(String cursor, T node) {
}
