package io.capconduit.system.graphql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;

import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.system.graphql.MalformedArguments.Case;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every argument of every query, mutation and subscription in graphql-schema/, and every field of its input
 * objects, sent malformed by an ADMIN ({@link MalformedArguments}): each answer is a classified error that names
 * the argument (BAD_REQUEST with {@code extensions.field}, graphql-java's ValidationError naming the variable,
 * or NOT_FOUND for an id of nothing), never INTERNAL_ERROR, a 5xx or a message quoting internals or the whole
 * input. The cases run in a database of their own (this context's), as some mutation may take a value it allows.
 */
@IntegrationTest
@TestPropertySource(properties = {
        // changeMyPassword's cases each give a wrong current password: they must not lock the admin out
        "capconduit.sign-in-throttle.max-failures-per-username=1000000",
        "capconduit.sign-in-throttle.max-failures-per-address=1000000" })
class MalformedArgumentsIntegrationTests {

    private static final Set<String> CLASSIFIED = Set.of("BAD_REQUEST", "NOT_FOUND", "ValidationError");

    /** What no message may hold: a Java class or stack frame, SQL, PostgreSQL's words. */
    private static final Pattern INTERNALS = Pattern.compile("(?i)exception|\\bjava\\.|\\bjakarta\\.|\\borg\\.[a-z]+\\."
            + "|io\\.capconduit|\\.java:\\d|\\n\\s+at |\\bselect\\b.*\\bfrom\\b|\\binsert into\\b|\\bsqlstate\\b|\\bpsql");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    GraphQlTesters graphQl;

    WebTestClient admin;

    @BeforeEach
    void signIn() {
        // a token, not Basic: bcrypt's 100 ms per request would make thousands of cases take minutes
        String token = graphQl.apiToken("admin");
        admin = graphQl.client().defaultHeaders(headers -> headers.setBearerAuth(token)).build();
    }

    @Test
    void everyQueryAndMutationArgumentRefusesMalformedValuesWithAClassifiedErrorNamingIt() {
        GraphQLSchema schema = MalformedArguments.schema();
        List<Case> cases = new ArrayList<>(MalformedArguments.cases("query", schema.getQueryType()));
        cases.addAll(MalformedArguments.cases("mutation", schema.getMutationType()));
        assertThat(cases).hasSizeGreaterThan(1000);

        List<String> findings = inParallel(cases, malformed -> {
            EntityExchangeResult<byte[]> answer = admin.post().contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON).bodyValue(body(malformed)).exchange().expectBody().returnResult();
            return judge(malformed, answer.getStatus().value(), answer.getResponseBody());
        });
        assertThat(findings).as("%d of %d cases", findings.size(), cases.size()).isEmpty();
    }

    /**
     * A value of an input object's field that only a service or the database can refuse (empty, negative, too long):
     * every mutation naming one so refused names it by its path from the arguments ({@code input.name}), one the
     * schema has, never by the bare field ({@code name}) a client cannot tell from an argument.
     */
    @Test
    void everyMutationNamesARefusedInputFieldByItsPathFromTheArguments() {
        GraphQLObjectType mutations = MalformedArguments.schema().getMutationType();
        List<Case> cases = MalformedArguments.cases("mutation", mutations).stream()
                .filter(malformed -> !malformed.mustRefuse() && malformed.argument().contains(".")).toList();
        Set<String> refusing = ConcurrentHashMap.newKeySet();

        List<String> findings = inParallel(cases, malformed -> {
            List<Map<String, Object>> errors = errors(admin.post().contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON).bodyValue(body(malformed)).exchange().expectBody()
                    .returnResult().getResponseBody());
            for (Map<String, Object> error : errors) {
                Map<?, ?> extensions = (Map<?, ?>) error.getOrDefault("extensions", Map.of());
                if ("BAD_REQUEST".equals(extensions.get("classification")) && extensions.get("field") != null) {
                    String field = String.valueOf(extensions.get("field"));
                    if (!MalformedArguments.isArgumentPath(field, mutations.getFieldDefinition(malformed.field()))) {
                        return "names " + field + ", no path from the arguments";
                    }
                    refusing.add(malformed.field());
                }
            }
            return null;
        });
        assertThat(findings).as("%d of %d cases", findings.size(), cases.size()).isEmpty();
        // the mutations that check their input's fields: createCampaign, createClient, createUser, runJob, ...
        assertThat(refusing).hasSizeGreaterThanOrEqualTo(15).contains("createCampaign", "createClient", "runJob");
    }

    /** Only values refused by their type: a subscription that takes its value runs on, so "no error" cannot be told. */
    @Test
    void everySubscriptionArgumentRefusesMalformedValuesWithAClassifiedErrorNamingIt() {
        List<Case> cases = MalformedArguments.cases("subscription", MalformedArguments.schema().getSubscriptionType())
                .stream().filter(Case::mustRefuse).toList();
        assertThat(cases).isNotEmpty();

        List<String> findings = inParallel(cases, malformed -> {
            // refused, the stream answers at once and ends; taken, it waits for events: a generous bound tells them apart
            FluxExchangeResult<String> answer = admin.mutate().responseTimeout(Duration.ofSeconds(20)).build().post()
                    .contentType(MediaType.APPLICATION_JSON).accept(MediaType.TEXT_EVENT_STREAM).bodyValue(body(malformed))
                    .exchange().returnResult(String.class);
            String first = answer.getResponseBody().blockFirst(Duration.ofSeconds(20));
            return judge(malformed, answer.getStatus().value(), first == null ? null : first.getBytes());
        });
        assertThat(findings).as("%d of %d cases", findings.size(), cases.size()).isEmpty();
    }

    /** Each case's finding ("case: what is wrong"), the cases sent a few at a time. */
    private static List<String> inParallel(List<Case> cases, Function<Case, String> judged) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (Case malformed : cases) {
                answers.add(pool.submit(() -> {
                    try {
                        String finding = judged.apply(malformed);
                        return finding == null ? null : malformed + ": " + finding;
                    }
                    catch (RuntimeException ex) {
                        return malformed + ": no answer (" + ex.getMessage() + ")";
                    }
                }));
            }
            List<String> findings = new ArrayList<>();
            for (Future<String> answer : answers) {
                String finding = answer.get(5, TimeUnit.MINUTES);
                if (finding != null) {
                    findings.add(finding);
                }
            }
            return findings;
        }
        catch (InterruptedException | ExecutionException | TimeoutException ex) {
            throw new IllegalStateException(ex);
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static String body(Case malformed) {
        return JSON.writeValueAsString(Map.of("query", malformed.document(), "variables", malformed.variables()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(byte[] body) {
        return (List<Map<String, Object>>) JSON.readValue(body, Map.class).getOrDefault("errors", List.of());
    }

    /** Null if the answer is as it must be, else what is wrong with it. */
    @SuppressWarnings("unchecked")
    static String judge(Case malformed, int status, byte[] body) {
        if (status >= 500) {
            return "HTTP " + status;
        }
        Map<String, Object> response;
        try {
            response = JSON.readValue(body, Map.class);
        }
        catch (RuntimeException ex) {
            return "HTTP " + status + " without a GraphQL body: " + (body == null ? "" : shortened(new String(body)));
        }
        List<Map<String, Object>> errors = (List<Map<String, Object>>) response.getOrDefault("errors", List.of());
        if (errors.isEmpty()) {
            return malformed.mustRefuse() ? "taken without an error" : status >= 400 ? "HTTP " + status : null;
        }
        for (Map<String, Object> error : errors) {
            String message = String.valueOf(error.get("message"));
            Map<String, Object> extensions = (Map<String, Object>) error.getOrDefault("extensions", Map.of());
            Object classification = extensions.get("classification");
            if (!CLASSIFIED.contains(classification)) {
                return classification + ": " + shortened(message);
            }
            if (INTERNALS.matcher(message).find()) {
                return "internals in the message: " + shortened(message);
            }
            if (message.length() > 1000) {
                return "a message of " + message.length() + " characters: " + shortened(message);
            }
            if (message.contains(MalformedArguments.SECRET.strip())) {
                return "the secret quoted: " + shortened(message);
            }
            if (malformed.mustRefuse() && !names(malformed, classification, message, extensions)) {
                return classification + " not naming " + malformed.argument() + ": " + shortened(message) + " "
                        + extensions;
            }
        }
        return null;
    }

    /** A refusal names the argument, or a field or type of the input the value sits in; NOT_FOUND names none. */
    private static boolean names(Case malformed, Object classification, String message, Map<String, Object> extensions) {
        return switch (String.valueOf(classification)) {
            case "BAD_REQUEST" -> extensions.get("field") instanceof String field
                    && malformed.names().contains(field.split("[.\\[]", 2)[0]);
            case "ValidationError" -> malformed.names().stream().anyMatch(name -> message.contains("'" + name + "'"));
            default -> true;
        };
    }

    private static String shortened(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " characters)";
    }
}
