package io.capconduit.system.graphql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.stream.Collectors;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.capconduit.calls.RecordingsProperties;
import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.system.graphql.ExpectedAccess.Access;
import io.capconduit.system.graphql.ExpectedAccess.Expectation;
import io.capconduit.system.graphql.ExpectedAccess.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization of the whole API, driven by the schema: every query, mutation and subscription of
 * graphql-schema/ and every REST endpoint is held to its line of {@link ExpectedAccess}. Unauthenticated, each is
 * refused (401, no data); a role outside its access gets FORBIDDEN; and a SELLER (seller1, Acme Leads) handed the ids
 * of another seller's objects (Bright Media's campaigns, DIDs, settings, call logs, lead lists, leads, imports) gets
 * a refusal or nothing of theirs, in any field the answer reaches (nested ones too), and changes nothing of theirs.
 * Its own database (this context's), as the cases run mutations.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = {
        // changeMyPassword's cases give a wrong current password: they must not lock anyone out
        "capconduit.sign-in-throttle.max-failures-per-username=1000000",
        "capconduit.sign-in-throttle.max-failures-per-address=1000000",
        // the cases select every field a few levels deep, to see what nested fields reach
        "capconduit.graphql.max-complexity=100000", "capconduit.graphql.list-size=1",
        "capconduit.graphql.max-depth=30" })
class AuthorizationSweepIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Object levels a case selects below its root field (connections, edges and payloads not counted). */
    private static final int DEPTH = 3;

    private static final Set<String> REFUSALS = Set.of("NOT_FOUND", "FORBIDDEN", "BAD_REQUEST");

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    List<RequestMappingHandlerMapping> mappings;

    @Autowired
    RecordingsProperties recordings;

    GraphQLSchema schema;
    Map<String, String> tokens = new LinkedHashMap<>();
    long acme;
    long bright;
    /** seller1's own objects, by kind: what the arguments a case does not aim at another seller hold. */
    Map<Kind, Object> own = new LinkedHashMap<>();
    /** Bright Media's objects, by kind: what a case hands seller1. */
    Map<Kind, List<Object>> theirs = new LinkedHashMap<>();
    /** Words only Bright Media's objects hold: none may reach seller1. */
    List<String> markers;
    /** The SIP connections of buyers and carriers (endpoints, hosts): staff and admin business, never a seller's. */
    List<String> connections = List.of("client-sunrise", "client-pacific", "client-lonestar", "sbc.sunrise.example",
            "sbc.pacific.example", "trunk-demo-carrier", "sip.carrier.example");
    long brightImport;
    /** A recording of Bright Media's call, its file in the recordings folder: what seller1 must not download. */
    long brightRecording;

    @BeforeAll
    void objectsOfTwoSellers() throws IOException {
        schema = MalformedArguments.schema();
        for (String user : List.of("admin", "staff", "seller1")) {
            tokens.put(user, graphQl.apiToken(user));
        }
        acme = id("SELECT id FROM sellers WHERE name = 'Acme Leads'");
        bright = id("SELECT id FROM sellers WHERE name = 'Bright Media'");

        long acmeOutbound = id("INSERT INTO campaigns (seller_id, name, direction) VALUES (?, 'Acme Outbound', "
                + "'OUTBOUND') RETURNING id", acme);
        long acmeList = id("INSERT INTO lead_lists (seller_id, name) VALUES (?, 'Acme prospects') RETURNING id", acme);
        long houseList = id("INSERT INTO lead_lists (seller_id, name) VALUES (NULL, 'House prospects') RETURNING id");
        long brightList = id("SELECT id FROM lead_lists WHERE name = 'Solar prospects'");
        long solarCallbacks = id("SELECT id FROM campaigns WHERE name = 'Solar Callbacks'");
        long solarSavings = id("SELECT id FROM campaigns WHERE name = 'Solar Savings'");
        // a house list feeds campaigns of both sellers: seller1 must not learn of Bright Media's through it
        jdbc.update("INSERT INTO campaign_lead_lists (campaign_id, list_id) VALUES (?, ?), (?, ?)", acmeOutbound,
                houseList, solarCallbacks, houseList);
        jdbc.update("INSERT INTO leads (list_id, phone, first_name, last_name) VALUES (?, '+12065550199', 'Victima', "
                + "'Brightside')", brightList);
        long client = id("SELECT id FROM clients WHERE name = 'Lone Star Solar'");
        long acmeLog = callLog("acme-call", acme, acmeOutbound,
                id("SELECT id FROM clients WHERE name = 'Pacific Home Services'"));
        long brightLog = callLog("bright-victim-call", bright, solarSavings, client);
        // the raw rows of seller1's call, as Asterisk writes them: they name the carrier's and the buyer's endpoints
        jdbc.update("INSERT INTO cdr (src, dst, dcontext, channel, dstchannel, lastapp, lastdata, start, answer, \"end\", "
                + "duration, billsec, disposition, uniqueid, linkedid, sequence) SELECT '+12125550181', 's', "
                + "'inbound-route', 'PJSIP/trunk-demo-carrier-00000009', 'PJSIP/client-sunrise-0000000a', 'Dial', "
                + "'PJSIP/client-sunrise,20', now() - interval '1 hour', now() - interval '1 hour', now(), 60, 60, "
                + "'ANSWERED', linked_id, linked_id, 9 FROM call_logs WHERE id = ?", acmeLog);
        brightImport = upload(brightList);
        brightRecording = id("INSERT INTO recordings (linked_id, call_log_id, file_name) SELECT linked_id, id, "
                + "'bright-victim-call.wav' FROM call_logs WHERE id = ? RETURNING id", brightLog);
        Files.writeString(Files.createDirectories(recordings.folder()).resolve("bright-victim-call.wav"),
                "RIFF Bright Media's call");

        own.put(Kind.CAMPAIGN, acmeOutbound);
        own.put(Kind.DID, id("SELECT id FROM dids WHERE number = '+18005550101'"));
        own.put(Kind.DID_NUMBER, "+18005550101");
        own.put(Kind.SETTING, id("SELECT min(s.id) FROM campaign_client_settings s JOIN campaigns c ON c.id = "
                + "s.campaign_id WHERE c.seller_id = ?", acme));
        own.put(Kind.CALL_LOG, acmeLog);
        own.put(Kind.LEAD_LIST, acmeList);
        own.put(Kind.SELLER, acme);
        own.put(Kind.LEAD_IMPORT, MalformedArguments.NO_SUCH_ID);

        theirs.put(Kind.CAMPAIGN, List.of(solarSavings, solarCallbacks));
        theirs.put(Kind.DID, List.of(id("SELECT id FROM dids WHERE number = '+18005550201'"),
                id("SELECT id FROM dids WHERE number = '+18005550202'")));
        theirs.put(Kind.DID_NUMBER, List.of("+18005550201"));
        theirs.put(Kind.SETTING, List.of(id("SELECT min(s.id) FROM campaign_client_settings s WHERE campaign_id = ?",
                solarSavings)));
        theirs.put(Kind.CALL_LOG, List.of(brightLog));
        theirs.put(Kind.LEAD_LIST, List.of(brightList));
        theirs.put(Kind.SELLER, List.of(bright));
        theirs.put(Kind.LEAD_IMPORT, List.of(brightImport));

        markers = List.of("Bright Media", "bright-media.example", "Solar Savings", "Solar Callbacks",
                "Solar prospects", "Solar landing page", "Not yet assigned", "bright-victim-call", "Victima",
                "Brightside", "Importa", "\"sellerId\":\"" + bright + "\"", "\"listId\":\"" + brightList + "\"",
                "\"campaignId\":\"" + solarSavings + "\"", "\"campaignId\":\"" + solarCallbacks + "\"");
    }

    // ------------------------------------------------------------------ the table

    @Test
    void everyOperationAndEndpointHasAReviewedExpectation() {
        Set<String> fields = new TreeSet<>();
        for (GraphQLObjectType root : roots()) {
            root.getFieldDefinitions().forEach(field -> fields.add(root.getName() + "." + field.getName()));
        }
        assertThat(fields).as("operations of graphql-schema/ without a line in ExpectedAccess: decide who may call "
                + "them, add the line (and a check if the access is new)")
                .isSubsetOf(ExpectedAccess.FIELDS.keySet());
        assertThat(ExpectedAccess.FIELDS.keySet()).as("lines of ExpectedAccess the schema no longer has")
                .isSubsetOf(fields);

        Set<String> endpoints = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : mappings.stream()
                .flatMap(handlers -> handlers.getHandlerMethods().entrySet().stream()).toList()) {
            if (mapping.getValue().getBeanType().getPackageName().startsWith("io.capconduit")) {
                mapping.getKey().getMethodsCondition().getMethods().forEach(method -> mapping.getKey()
                        .getPatternValues().forEach(pattern -> endpoints.add(method + " " + pattern)));
            }
        }
        assertThat(endpoints).as("REST endpoints without a line in ExpectedAccess.REST")
                .isEqualTo(new TreeSet<>(ExpectedAccess.REST.keySet()));
        assertThat(restCases().keySet()).as("REST endpoints without a case here").isEqualTo(ExpectedAccess.REST.keySet());
    }

    // ------------------------------------------------------------------ unauthenticated

    @Test
    void everyOperationRefusesAnUnauthenticatedCallerWithoutData() {
        List<String> findings = new ArrayList<>();
        for (Call call : harmlessCalls()) {
            for (String authorization : List.of("", "Bearer not-a-token", "Basic c2VsbGVyMTp3cm9uZw==")) {
                Answer answer = send(call, authorization);
                if (answer.status() != 401 || answer.body().contains("\"data\"")) {
                    findings.add(call + (authorization.isEmpty() ? " anonymous" : " with " + authorization.split(" ")[0]
                            + " credentials that sign no one in") + ": HTTP " + answer.status() + " " + answer.shortBody());
                }
            }
        }
        restCases().forEach((endpoint, request) -> {
            for (String authorization : List.of("", "Bearer not-a-token")) {
                int status = request.send(rest(authorization)).status();
                // a POST without credentials meets the CSRF check before sign-in: refused either way
                boolean refused = status == 401 || (status == 403 && authorization.isEmpty()
                        && endpoint.startsWith("POST"));
                if (!refused) {
                    findings.add(endpoint + (authorization.isEmpty() ? " anonymous" : " with a bogus token") + ": HTTP "
                            + status);
                }
            }
        });
        assertThat(findings).isEmpty();
    }

    @Test
    void everySubscriptionRefusesAnAnonymousWebSocket() {
        List<String> findings = new ArrayList<>();
        for (GraphQLFieldDefinition field : schema.getSubscriptionType().getFieldDefinitions()) {
            Call call = call(schema.getSubscriptionType(), field, Map.of(), "anonymous WebSocket");
            WebSocketGraphQlTester anonymous = graphQl.webSocket(headers -> { });
            try {
                Object first = anonymous.document(call.document()).variables(call.variables()).executeSubscription()
                        .toFlux().blockFirst(Duration.ofSeconds(20));
                findings.add(call + ": taken (" + first + ")");
            }
            catch (RuntimeException refused) {
                StringBuilder causes = new StringBuilder();
                for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
                    causes.append(cause.getMessage()).append(" / ");
                }
                // the JDK's client answers a 401 challenge it has no credentials for with "No user name was provided"
                boolean atHandshake = causes.toString().contains("initiate the WebSocket connection")
                        && (causes.toString().contains("401") || causes.toString().contains("No user name was provided"));
                if (!atHandshake) {
                    findings.add(call + ": refused, but not at the handshake: " + causes);
                }
            }
            finally {
                anonymous.stop().onErrorComplete().block(Duration.ofSeconds(10));
            }
        }
        assertThat(findings).isEmpty();
    }

    // ------------------------------------------------------------------ roles

    @Test
    void aRoleOutsideAnOperationsAccessIsForbiddenAndOneInsideIsNot() {
        List<String> findings = new ArrayList<>();
        for (Call call : harmlessCalls()) {
            Access access = ExpectedAccess.FIELDS.get(call.key()).access();
            for (String user : List.of("seller1", "staff", "admin")) {
                boolean allowed = switch (user) {
                    case "seller1" -> access == Access.OWN || access == Access.SIGNED_IN;
                    case "staff" -> access != Access.ADMIN;
                    default -> true;
                };
                if (call.subscription() && allowed) {
                    continue;   // taken, a subscription waits for events: its refusals alone are told apart
                }
                Answer answer = send(call, "Bearer " + tokens.get(user));
                Set<String> classes = answer.classifications();
                if (!allowed && (!classes.contains("FORBIDDEN") || answer.hasData(call.field()))) {
                    findings.add(user + " " + call + ": not FORBIDDEN (" + answer.shortBody() + ")");
                }
                if (answer.notRun()) {
                    findings.add(user + " " + call + ": not run (" + answer.shortBody() + ")");
                }
                else if (allowed && (classes.contains("FORBIDDEN") || classes.contains("UNAUTHORIZED")
                        || answer.status() >= 400)) {
                    findings.add(user + " " + call + ": refused though " + access + " (" + answer.shortBody() + ")");
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    // ------------------------------------------------------------------ another seller's objects

    @Test
    void aSellerGivenAnotherSellersIdsGetsNothingOfTheirsNestedFieldsIncludedAndChangesNothing() {
        String before = brightFingerprint();
        List<String> findings = new ArrayList<>();
        List<Call> calls = crossSellerCalls();
        assertThat(calls).hasSizeGreaterThan(60);
        StringBuilder seen = new StringBuilder();
        for (Call call : calls) {
            Answer answer = send(call, "Bearer " + tokens.get("seller1"));
            seen.append(answer.body());
            String finding = judgeForeign(answer);
            if (finding == null && call.subscription() && answer.classifications().stream().noneMatch(REFUSALS::contains)) {
                // taken, it would stream their campaign's (their import's) events from now on
                finding = "taken: " + answer.shortBody();
            }
            if (finding != null) {
                findings.add(call + ": " + finding);
            }
        }
        assertThat(findings).isEmpty();
        // the sweep reached seller1's own objects, nested ones too: had it reached Bright Media's, they would show
        assertThat(seen.toString()).contains("Acme Leads", "Acme Outbound", "House prospects", "acme-call",
                "Lone Star Solar", "Auto TV spot", "inbound-route");
        assertThat(brightFingerprint()).as("Bright Media's objects after seller1's calls").isEqualTo(before);
    }

    @Test
    void aSellersOptOutCancelsEveryonesQueuedCallsButCountsOnlyItsOwn() {
        long brightList = (Long) theirs.get(Kind.LEAD_LIST).get(0);
        long lead = id("INSERT INTO leads (list_id, phone, status) VALUES (?, '+12065550161', 'QUEUED') RETURNING id",
                brightList);
        long entry = id("INSERT INTO outbound_queue (campaign_id, lead_id) VALUES (?, ?) RETURNING id",
                theirs.get(Kind.CAMPAIGN).get(1), lead);

        Answer answer = send(new Call("Mutation", "addDncNumbers", "mutation { addDncNumbers(input: {phones: "
                + "[\"+12065550161\"]}) { added cancelledQueueEntries } }", Map.of(), "Bright Media's queued lead"),
                "Bearer " + tokens.get("seller1"));

        // the opt-out is honoured whoever takes it; whether another seller was about to call the number is theirs
        assertThat(answer.body()).contains("\"added\":1", "\"cancelledQueueEntries\":0");
        assertThat(jdbc.queryForObject("SELECT outcome FROM outbound_queue WHERE id = ?", String.class, entry))
                .isEqualTo("DNC");
    }

    @Test
    void theNestedPathsACrossSellerLeakWouldTakeAreReallyThere() {
        // seller1 reaches the house list through its own campaign: the list's other campaigns are Bright Media's
        String answer = send(new Call("Query", "campaigns", "query { campaigns { name leadLists { name campaigns "
                + "{ name sellerId } } } }", Map.of(), "house list"), "Bearer " + tokens.get("seller1")).body();
        assertThat(answer).contains("House prospects", "Acme Outbound").doesNotContain("Solar Callbacks");
        String staff = send(new Call("Query", "campaigns", "query { campaigns { name leadLists { name campaigns "
                + "{ name } } } }", Map.of(), "house list"), "Bearer " + tokens.get("staff")).body();
        assertThat(staff).contains("Solar Callbacks");
    }

    @Test
    void restEndpointsGiveASellerNothingOfAnotherSeller() {
        List<String> findings = new ArrayList<>();
        restCases().forEach((endpoint, request) -> {
            Answer answer = request.send(rest("Bearer " + tokens.get("seller1")));
            boolean refused = answer.status() == 404 || answer.status() == 403;
            boolean expectedRefusal = ExpectedAccess.REST.get(endpoint) == Access.STAFF || !endpoint.contains("export");
            if (expectedRefusal && !refused) {
                findings.add(endpoint + ": HTTP " + answer.status() + " " + answer.shortBody());
            }
            if (!expectedRefusal && answer.status() != 200) {
                findings.add(endpoint + ": HTTP " + answer.status() + " " + answer.shortBody());
            }
            markers.stream().filter(answer.body()::contains)
                    .forEach(marker -> findings.add(endpoint + ": holds " + marker));
            connections.stream().filter(answer.body()::contains)
                    .forEach(connection -> findings.add(endpoint + ": holds " + connection));
        });
        assertThat(findings).isEmpty();
    }

    // ------------------------------------------------------------------ cases

    private List<GraphQLObjectType> roots() {
        return List.of(schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType());
    }

    /** Every operation, its required arguments harmless (ids of nothing, a plain word). */
    private List<Call> harmlessCalls() {
        List<Call> calls = new ArrayList<>();
        for (GraphQLObjectType root : roots()) {
            for (GraphQLFieldDefinition field : root.getFieldDefinitions()) {
                calls.add(call(root, field, Map.of(), "harmless"));
            }
        }
        return calls;
    }

    /**
     * Each OWN operation as seller1 would call it with one of Bright Media's ids in one argument (or input field)
     * naming a seller's object, every other such argument its own; one with its own alone where there is none.
     */
    private List<Call> crossSellerCalls() {
        List<Call> calls = new ArrayList<>();
        for (GraphQLObjectType root : roots()) {
            for (GraphQLFieldDefinition field : root.getFieldDefinitions()) {
                Expectation expectation = ExpectedAccess.FIELDS.get(root.getName() + "." + field.getName());
                if (expectation == null || expectation.access() == Access.STAFF
                        || expectation.access() == Access.ADMIN) {
                    continue;
                }
                Map<String, Kind> aimed = aimable(field, expectation);
                Map<String, Object> mine = new LinkedHashMap<>();
                aimed.forEach((path, kind) -> mine.put(path, own.get(kind)));
                mine.put("clientId", id("SELECT id FROM clients WHERE name = 'Pacific Home Services'"));
                boolean subscription = root == schema.getSubscriptionType();
                if (!subscription) {
                    // its own objects: what nested fields reach from them must be its own too
                    calls.add(call(root, field, mine, "own ids"));
                }
                aimed.forEach((path, kind) -> {
                    for (Object theirId : theirs.get(kind)) {
                        Map<String, Object> values = new LinkedHashMap<>(mine);
                        values.put(path, theirId);
                        calls.add(call(root, field, values, path + " = Bright Media's " + kind));
                    }
                });
            }
        }
        return calls;
    }

    /** The arguments and first-level input fields of the operation that name a seller's object, by path. */
    private static Map<String, Kind> aimable(GraphQLFieldDefinition field, Expectation expectation) {
        Map<String, Kind> aimed = new LinkedHashMap<>();
        for (GraphQLArgument argument : field.getArguments()) {
            String name = argument.getName();
            Kind kind = name.equals("id") ? expectation.id()
                    : name.equals("number") && field.getName().equals("didByNumber") ? Kind.DID_NUMBER
                    : ExpectedAccess.NAMED.get(name);
            if (kind != null) {
                aimed.put(name, kind);
            }
            if (GraphQLTypeUtil.unwrapNonNull(argument.getType()) instanceof GraphQLInputObjectType input) {
                for (GraphQLInputObjectField inner : input.getFields()) {
                    Kind innerKind = ExpectedAccess.NAMED.get(inner.getName());
                    if (innerKind != null) {
                        aimed.put(name + "." + inner.getName(), innerKind);
                    }
                }
            }
        }
        return aimed;
    }

    /**
     * One operation as a request: its arguments given by path in {@code values} ("id", "input.campaignId"), the
     * other required ones harmless; every field of the answer selected {@link #DEPTH} object levels deep.
     */
    private Call call(GraphQLObjectType root, GraphQLFieldDefinition field, Map<String, Object> values, String label) {
        Map<String, Object> variables = new LinkedHashMap<>();
        List<GraphQLArgument> sent = new ArrayList<>();
        for (GraphQLArgument argument : field.getArguments()) {
            String name = argument.getName();
            GraphQLType type = GraphQLTypeUtil.unwrapNonNull(argument.getType());
            Object value = null;
            if (values.containsKey(name)) {
                value = String.valueOf(values.get(name));
            }
            else if (type instanceof GraphQLInputObjectType input) {
                Map<String, Object> object = MalformedArguments.harmlessObject(input);
                for (GraphQLInputObjectField inner : input.getFields()) {
                    if (values.containsKey(name + "." + inner.getName())) {
                        object.put(inner.getName(), String.valueOf(values.get(name + "." + inner.getName())));
                    }
                    else if (inner.getName().equals("clientId") && values.containsKey("clientId")) {
                        object.put(inner.getName(), String.valueOf(values.get("clientId")));
                    }
                }
                value = GraphQLTypeUtil.isNonNull(argument.getType()) || !object.isEmpty() ? object : null;
            }
            else if (GraphQLTypeUtil.isNonNull(argument.getType())) {
                value = harmless(name, (GraphQLInputType) argument.getType());
            }
            if (value != null) {
                variables.put(name, value);
                sent.add(argument);
            }
        }
        String declarations = sent.stream().map(a -> "$" + a.getName() + ": " + GraphQLTypeUtil.simplePrint(a.getType()))
                .collect(Collectors.joining(", "));
        String arguments = sent.stream().map(a -> a.getName() + ": $" + a.getName()).collect(Collectors.joining(", "));
        String operation = root.getName().toLowerCase();
        String document = operation + " Sweep" + (sent.isEmpty() ? "" : "(" + declarations + ")") + " { "
                + field.getName() + (sent.isEmpty() ? "" : "(" + arguments + ")") + selection(field.getType(), DEPTH)
                + " }";
        return new Call(root.getName(), field.getName(), document, variables, label);
    }

    /** A report's days: the last month, when this test's call logs are. */
    private static Object harmless(String name, GraphQLInputType type) {
        if (GraphQLTypeUtil.unwrapNonNull(type) instanceof graphql.schema.GraphQLScalarType scalar
                && scalar.getName().equals("Date")) {
            return name.equals("from") ? LocalDate.now().minusDays(30).toString() : LocalDate.now().plusDays(1).toString();
        }
        return MalformedArguments.harmless(name, type);
    }

    /**
     * Every field without a required argument, objects {@code depth} levels deep (then their __typename); a field
     * already on the path (Seller.campaigns in Seller.campaigns, through Campaign.seller) only walks a cycle, left out.
     */
    private static String selection(GraphQLOutputType type, int depth) {
        return selection(type, depth, Set.of());
    }

    private static String selection(GraphQLOutputType type, int depth, Set<String> path) {
        if (!(GraphQLTypeUtil.unwrapAll(type) instanceof GraphQLObjectType object)) {
            return "";
        }
        if (depth == 0) {
            return " { __typename }";
        }
        // a wrapper (connection, edge, payload) holds the objects: it costs no level
        boolean wrapper = object.getName().matches(".*(Connection|Edge|Payload)");
        StringJoiner fields = new StringJoiner(" ", " { ", " }");
        fields.add("__typename");
        for (GraphQLFieldDefinition field : object.getFieldDefinitions()) {
            String step = object.getName() + "." + field.getName();
            boolean needsArgument = field.getArguments().stream()
                    .anyMatch(a -> GraphQLTypeUtil.isNonNull(a.getType()) && !a.hasSetDefaultValue());
            if (!needsArgument && !path.contains(step)) {
                Set<String> deeper = new LinkedHashSet<>(path);
                deeper.add(step);
                fields.add(field.getName() + selection(field.getType(), wrapper ? depth : depth - 1, deeper));
            }
        }
        return fields.toString();
    }

    /** Null if a seller's answer holds nothing of another seller and refuses, if at all, as it should. */
    private String judgeForeign(Answer answer) {
        if (answer.status() != 200) {
            return "HTTP " + answer.status() + " " + answer.shortBody();
        }
        if (answer.notRun()) {
            return "not run: " + answer.shortBody();
        }
        for (String marker : markers) {
            if (answer.body().contains(marker)) {
                return "holds Bright Media's " + marker + ": " + answer.shortBody();
            }
        }
        for (String connection : connections) {
            if (answer.body().contains(connection)) {
                return "holds the SIP connection " + connection + ": " + answer.shortBody();
            }
        }
        Set<String> unexpected = new LinkedHashSet<>(answer.classifications());
        unexpected.removeAll(REFUSALS);
        return unexpected.isEmpty() ? null : "classified " + unexpected + ": " + answer.shortBody();
    }

    // ------------------------------------------------------------------ REST

    /** One request per endpoint, aimed at Bright Media's objects. */
    private Map<String, RestCall> restCases() {
        String from = LocalDate.now().minusDays(30).toString();
        String to = LocalDate.now().plusDays(1).toString();
        long list = (Long) theirs.get(Kind.LEAD_LIST).get(0);
        Map<String, RestCall> cases = new LinkedHashMap<>();
        cases.put("POST /api/leads/import", client -> uploadAs(client, "/api/leads/import?listId=" + list));
        cases.put("POST /api/dnc/import", client -> uploadAs(client, "/api/dnc/import"));
        cases.put("GET /api/leads/import/{executionId}", client -> get(client, "/api/leads/import/" + brightImport));
        cases.put("GET /api/leads/import/{executionId}/rejects.csv",
                client -> get(client, "/api/leads/import/" + brightImport + "/rejects.csv"));
        cases.put("GET /api/leads/import/{executionId}/rejects.xlsx",
                client -> get(client, "/api/leads/import/" + brightImport + "/rejects.xlsx"));
        cases.put("GET /api/reports/export.{format}", client -> get(client, "/api/reports/export.csv?from=" + from
                + "&to=" + to + "&by=SELLER&sellerId=" + bright));
        cases.put("GET /api/call-logs/export.{format}", client -> get(client, "/api/call-logs/export.csv?from=" + from
                + "T00:00:00Z&to=" + to + "T00:00:00Z&sellerId=" + bright + "&campaignId="
                + theirs.get(Kind.CAMPAIGN).get(0)));
        cases.put("GET /api/recordings/{id}", client -> get(client, "/api/recordings/" + brightRecording));
        return cases;
    }

    private static Answer get(WebTestClient client, String uri) {
        EntityExchangeResult<byte[]> result = client.get().uri(uri).exchange().expectBody().returnResult();
        return new Answer(result.getStatus().value(), text(result.getResponseBody()));
    }

    private static Answer uploadAs(WebTestClient client, String uri) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource("Phone,First\n2065550143,Other\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "leads.csv";
            }
        }).contentType(MediaType.TEXT_PLAIN);
        EntityExchangeResult<byte[]> result = client.post().uri(uri).contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build())).exchange().expectBody().returnResult();
        return new Answer(result.getStatus().value(), text(result.getResponseBody()));
    }

    private WebTestClient rest(String authorization) {
        return WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl())
                .responseTimeout(Duration.ofSeconds(30))
                .defaultHeaders(headers -> {
                    if (!authorization.isEmpty()) {
                        headers.set("Authorization", authorization);
                    }
                }).build();
    }

    // ------------------------------------------------------------------ requests

    /** The answer to one call; a subscription's first event (it is refused at once, or waits for events). */
    private Answer send(Call call, String authorization) {
        WebTestClient client = graphQl.client().responseTimeout(Duration.ofSeconds(30)).defaultHeaders(headers -> {
            if (!authorization.isEmpty()) {
                headers.set("Authorization", authorization);
            }
        }).build();
        String body = JSON.writeValueAsString(Map.of("query", call.document(), "variables", call.variables()));
        if (call.subscription()) {
            FluxExchangeResult<String> answer = client.post().contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.TEXT_EVENT_STREAM).bodyValue(body).exchange().returnResult(String.class);
            String first = answer.getStatus().is2xxSuccessful()
                    ? answer.getResponseBody().blockFirst(Duration.ofSeconds(20)) : null;
            return new Answer(answer.getStatus().value(), first == null ? "" : first);
        }
        EntityExchangeResult<byte[]> answer = client.post().contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectBody().returnResult();
        return new Answer(answer.getStatus().value(), text(answer.getResponseBody()));
    }

    private static String text(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    private long upload(long listId) {
        Answer answer = uploadAs(rest("Bearer " + tokens.get("admin")),
                "/api/leads/import?listId=" + listId);
        assertThat(answer.status()).as(answer.body()).isEqualTo(HttpStatus.ACCEPTED.value());
        long executionId = ((Number) JSON.readValue(answer.body(), Map.class).get("executionId")).longValue();
        Eventually.await("the import into Bright Media's list to end", Duration.ofSeconds(60), () -> List.of(
                "COMPLETED", "FAILED").contains(jdbc.queryForObject("SELECT status FROM batch_job_execution WHERE "
                + "job_execution_id = ?", String.class, executionId)));
        jdbc.update("UPDATE leads SET first_name = 'Importa' WHERE import_execution_id = ?", executionId);
        return executionId;
    }

    private long callLog(String linkedId, long seller, long campaign, long client) {
        return id("INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, client_id, clients_tried, "
                + "start_time, disposition) SELECT ? || '-' || gen_random_uuid(), direction, ?, id, ?, ARRAY[?]::bigint[], "
                + "now() - interval '1 hour', 'ANSWERED' FROM campaigns WHERE id = ? RETURNING id", linkedId, seller,
                client, client, campaign);
    }

    /** Bright Media's objects as they stand: what seller1's calls must leave as they found them. */
    private String brightFingerprint() {
        return jdbc.queryForObject("""
                SELECT md5(string_agg(r, '|' ORDER BY r)) FROM (
                  SELECT row(s.*)::text FROM sellers s WHERE id = ?1
                  UNION ALL SELECT row(c.*)::text FROM campaigns c WHERE seller_id = ?1
                  UNION ALL SELECT row(d.*)::text FROM dids d WHERE seller_id = ?1
                  UNION ALL SELECT row(s.id, s.priority, s.weight, s.max_concurrent, s.total_cap, s.cap_period, s.active,
                                       s.updated_at)::text
                            FROM campaign_client_settings s JOIN campaigns c ON c.id = s.campaign_id WHERE c.seller_id = ?1
                  UNION ALL SELECT row(l.*)::text FROM lead_lists l WHERE seller_id = ?1
                  UNION ALL SELECT row(cl.*)::text FROM campaign_lead_lists cl JOIN campaigns c ON c.id = cl.campaign_id
                            WHERE c.seller_id = ?1
                  UNION ALL SELECT row(ld.*)::text FROM leads ld JOIN lead_lists l ON l.id = ld.list_id WHERE l.seller_id = ?1
                  UNION ALL SELECT row(g.*)::text FROM call_logs g WHERE seller_id = ?1
                ) x (r)""".replace("?1", String.valueOf(bright)), String.class);
    }

    private long id(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    /** One request of the sweep. */
    record Call(String root, String field, String document, Map<String, Object> variables, String label) {

        String key() {
            return root + "." + field;
        }

        boolean subscription() {
            return root.equals("Subscription");
        }

        @Override
        public String toString() {
            return key() + " (" + label + ")";
        }
    }

    @FunctionalInterface
    interface RestCall {
        Answer send(WebTestClient client);
    }

    record Answer(int status, String body) {

        @SuppressWarnings("unchecked")
        Set<String> classifications() {
            Set<String> classes = new LinkedHashSet<>();
            try {
                Map<String, Object> response = JSON.readValue(body, Map.class);
                for (Map<String, Object> error : (List<Map<String, Object>>) response.getOrDefault("errors", List.of())) {
                    Map<String, Object> extensions = (Map<String, Object>) error.getOrDefault("extensions", Map.of());
                    classes.add(String.valueOf(extensions.get("classification")));
                }
            }
            catch (RuntimeException ex) {
                classes.add("no GraphQL body");
            }
            return classes;
        }

        /** Whether the answer holds a value for the field (null, or no data at all, is none). */
        @SuppressWarnings("unchecked")
        boolean hasData(String field) {
            try {
                Map<String, Object> response = JSON.readValue(body, Map.class);
                return response.get("data") instanceof Map<?, ?> data && data.get(field) != null;
            }
            catch (RuntimeException ex) {
                return false;
            }
        }

        /** Refused before it ran: a limit of the request's size, or a document graphql-java found invalid. */
        boolean notRun() {
            return body.contains("\"limit\":\"capconduit.graphql.") || classifications().contains("ValidationError");
        }

        String shortBody() {
            return body.length() <= 400 ? body : body.substring(0, 400) + "... (" + body.length() + " characters)";
        }
    }
}
