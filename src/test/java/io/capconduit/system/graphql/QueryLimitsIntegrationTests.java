package io.capconduit.system.graphql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.DataFetcherFactories;
import graphql.schema.GraphQLCodeRegistry;
import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.execution.GraphQlSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Depth and complexity limits: documents that would build a huge response are refused before anything runs,
 * every document the README, GraphiQL and the benchmark show still passes.
 */
@IntegrationTest
class QueryLimitsIntegrationTests {

    /** Seller.campaigns, Campaign.seller, ...: 12 levels, each list level multiplying the response. */
    private static final String DEEP = "{ sellers { campaigns { seller { campaigns { seller { campaigns { seller "
            + "{ campaigns { seller { campaigns { seller { id } } } } } } } } } } } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    GraphQlSource source;

    @Test
    void aQueryNestedTooDeepIsRefusedNamingTheLimit() {
        graphQl.as("staff").document(DEEP).execute().errors()
                .expect(limit("capconduit.graphql.max-depth")
                        .and(error -> error.getMessage().contains("12 levels deep; at most 10")))
                .verify()
                .path("sellers").pathDoesNotExist();
    }

    @Test
    void aQueryAskingForTooManyRowsIsRefusedNamingTheLimit() {
        // 100 aliases of the largest page: 50,000 call logs in one response
        String wide = IntStream.range(0, 100)
                .mapToObj(i -> " p" + i + ": callLogs(first: 500) { edges { node { id } } }")
                .collect(Collectors.joining("", "{", " }"));

        graphQl.as("staff").document(wide).execute().errors()
                .expect(limit("capconduit.graphql.max-complexity")
                        .and(error -> error.getMessage().contains("more than 20000 values")))
                .verify();
    }

    /** Each seller's campaigns once per campaign: as many rows as campaigns squared, with nothing new in them. */
    @Test
    void aListInsideItselfThroughACycleIsRefusedHoweverShallow() {
        String cycle = "{ sellers { campaigns { seller { campaigns { id } } } } }";

        graphQl.as("staff").document(cycle).execute().errors()
                .expect(limit("capconduit.graphql.max-complexity")).verify();
    }

    /** Left to graphql-java, whose good-faith check refuses introspection that walks the type graph's cycles. */
    @Test
    void anIntrospectionQueryAbusingTheTypeCyclesIsRefusedByGraphQlJava() {
        String cycle = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";

        graphQl.as("staff").document(cycle).execute().errors()
                .expect(error -> error.getMessage().contains("not asking for introspection in good faith")).verify();
    }

    /**
     * Run through the application's schema and instrumentation with every data fetcher answering null: nothing
     * is read or changed, and a refusal by a limit (or a document the schema no longer takes) shows as its error.
     */
    @Test
    void everyExampleOfTheReadmeGraphiQlAndTheBenchmarkPassesTheLimits() throws IOException {
        GraphQL inert = GraphQL.newGraphQL(source.schema().transform(schema -> schema.codeRegistry(
                        GraphQLCodeRegistry.newCodeRegistry()
                                .defaultDataFetcher(DataFetcherFactories.useDataFetcher(env -> null)).build())))
                .instrumentation(source.graphQl().getInstrumentation()).build();
        List<String> documents = new ArrayList<>(readmeOperations());
        documents.addAll(graphiqlDocuments());
        documents.add(benchmarkPage());
        documents.add(IntrospectionQuery.INTROSPECTION_QUERY);
        assertThat(documents).hasSizeGreaterThan(15);

        for (String document : documents) {
            ExecutionResult result = inert.execute(document);
            assertThat(result.getErrors()).as(document).allSatisfy(
                    error -> assertThat(error.getErrorType()).isEqualTo(ErrorType.NullValueInNonNullableField));
        }
        assertThat(inert.execute(DEEP).getErrors()).as("the same harness refuses a deep query")
                .anySatisfy(error -> assertThat(error.getExtensions()).containsKey("limit"));
    }

    private static Predicate<ResponseError> limit(String name) {
        return error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                && name.equals(error.getExtensions().get("limit"));
    }

    /** Each operation of each graphql block: one starts at a line that begins with {, query or mutation. */
    private static List<String> readmeOperations() throws IOException {
        List<String> operations = new ArrayList<>();
        Matcher block = Pattern.compile("(?m)^( *)```graphql\\n(.*?)^ *```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("README.md")));
        while (block.find()) {
            StringBuilder operation = new StringBuilder();
            for (String line : block.group(2).lines().map(l -> l.substring(Math.min(block.group(1).length(),
                    l.length() - l.stripLeading().length()))).toList()) {
                if (line.matches("(\\{|query\\b|mutation\\b|#).*") && !operation.isEmpty()) {
                    operations.add(operation.toString());
                    operation.setLength(0);
                }
                if (!line.startsWith("#") && !line.isBlank()) {
                    operation.append(line).append('\n');
                }
            }
            if (!operation.isEmpty()) {
                operations.add(operation.toString());
            }
        }
        return operations.stream().filter(operation -> !operation.isBlank()).toList();
    }

    /** The "examples" menu and the schema browser's own introspection query. */
    private static List<String> graphiqlDocuments() throws IOException {
        String js = Files.readString(Path.of("src/main/resources/static/graphiql/graphiql.js"));
        List<String> documents = new ArrayList<>();
        Matcher example = Pattern.compile("^\\s*'[^']+': '((?:[^'\\\\]|\\\\.)*)'", Pattern.MULTILINE).matcher(js);
        while (example.find()) {
            documents.add(example.group(1).replace("\\n", "\n").replace("\\'", "'"));
        }
        Matcher typeRef = Pattern.compile("const typeRef = '([^']*)'").matcher(js);
        Matcher browser = Pattern.compile("graphql\\(('\\{ __schema.*?), \\{\\}\\)", Pattern.DOTALL).matcher(js);
        assertThat(typeRef.find() && browser.find()).as("graphiql.js's schema query").isTrue();
        documents.add(concatenated(browser.group(1).replace("typeRef", "'" + typeRef.group(1) + "'"), '\''));
        return documents;
    }

    /** GraphqlBench's page of call logs, as its source spells it. */
    private static String benchmarkPage() throws IOException {
        Matcher page = Pattern.compile("String PAGE = (.*?);\\n", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("src/test/java/io/capconduit/bench/GraphqlBench.java")));
        assertThat(page.find()).as("GraphqlBench.PAGE").isTrue();
        return concatenated(page.group(1), '"');
    }

    /** The string literals of a concatenation, joined. */
    private static String concatenated(String expression, char quote) {
        Matcher literal = Pattern.compile(quote + "([^" + quote + "]*)" + quote).matcher(expression);
        StringBuilder text = new StringBuilder();
        while (literal.find()) {
            text.append(literal.group(1));
        }
        return text.toString();
    }
}
