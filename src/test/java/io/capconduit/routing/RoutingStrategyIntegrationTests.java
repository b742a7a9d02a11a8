package io.capconduit.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.routing.InboundDialplan.Call;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The order the candidate list gives each strategy, over many calls. */
@IntegrationTest
class RoutingStrategyIntegrationTests {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    RoutingFixtures fixtures;
    FuncOdbc odbc;

    @BeforeEach
    void setUp() {
        fixtures = new RoutingFixtures(jdbc);
        odbc = new FuncOdbc(dataSource);
    }

    @Test
    void weightedOffersTheFirstPlaceInProportionToTheWeights() {
        var campaign = fixtures.campaign("WEIGHTED");
        int[] weights = {1, 2, 3, 4};
        Map<String, Integer> weightBySetting = new HashMap<>();
        for (int weight : weights) {
            weightBySetting.put(String.valueOf(fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, weight)),
                    weight);
        }
        Map<String, Integer> firsts = new HashMap<>();
        int calls = 10_000;

        for (int i = 0; i < calls; i++) {
            // the buyer a call is offered to first is the one its first round trip claims
            String uid = InboundRoutingIntegrationTests.uid();
            List<List<String>> candidates = odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid);
            assertThat(candidates).hasSize(4);
            firsts.merge(candidates.get(0).get(7), 1, Integer::sum);
            odbc.value("ODBC_ROUTE_RELEASE", uid, "NOANSWER");
        }

        // chi-square, 3 degrees of freedom: 30.66 is exceeded by chance once in a million runs (16.27, once in a
        // thousand, failed the suite's single CI run that often); any real bias stays far above it: weights off by
        // one (2:3:4:5) give about 250 here, weights ignored about 3,000
        double chiSquare = 0;
        for (var entry : weightBySetting.entrySet()) {
            double expected = calls * entry.getValue() / 10.0;
            double observed = firsts.getOrDefault(entry.getKey(), 0);
            chiSquare += (observed - expected) * (observed - expected) / expected;
        }
        assertThat(chiSquare).as("chi-square of %s", firsts).isLessThan(30.66);
    }

    @Test
    void roundRobinSpreadsCallsEvenly() {
        var campaign = fixtures.campaign("ROUND_ROBIN");
        for (int i = 0; i < 4; i++) {
            fixtures.setting(campaign.id(), fixtures.client("UTC"), i + 1, 1);
        }
        InboundDialplan dialplan = new InboundDialplan(odbc);
        Map<String, Integer> answered = new HashMap<>();
        List<String> firstRound = new ArrayList<>();

        for (int i = 0; i < 40; i++) {
            Call call = dialplan.call(campaign.did(), InboundRoutingIntegrationTests.uid(), endpoint -> "ANSWER");
            answered.merge(call.answered, 1, Integer::sum);
            if (i < 4) {
                firstRound.add(call.answered);
            }
            call.hangup();
        }

        assertThat(firstRound).doesNotHaveDuplicates();
        assertThat(answered).hasSize(4).allSatisfy((endpoint, count) -> assertThat(count).isEqualTo(10));
    }

    @Test
    void roundRobinFailoverStillMovesTheTurnOn() {
        var campaign = fixtures.campaign("ROUND_ROBIN");
        String a = fixtures.client("UTC");
        String b = fixtures.client("UTC");
        fixtures.setting(campaign.id(), a, 1, 1);
        fixtures.setting(campaign.id(), b, 1, 1);
        InboundDialplan dialplan = new InboundDialplan(odbc);

        Call first = dialplan.call(campaign.did(), InboundRoutingIntegrationTests.uid(), e -> e.equals(a) ? "BUSY" : "ANSWER");
        first.hangup();
        Call second = dialplan.call(campaign.did(), InboundRoutingIntegrationTests.uid(), e -> "ANSWER");

        assertThat(first.tried).containsExactly(a, b);
        assertThat(second.answered).isEqualTo(a);
    }
}
