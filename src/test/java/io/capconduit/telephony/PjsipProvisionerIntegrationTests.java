package io.capconduit.telephony;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.capconduit.support.IntegrationTest;
import io.capconduit.system.InvalidInputException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IntegrationTest
class PjsipProvisionerIntegrationTests {

    @Autowired
    PjsipProvisioner provisioner;

    @Autowired
    PlatformTransactionManager transactionManager;

    /**
     * A client and a trunk created at the same moment with one endpoint id: the second check waits for the first
     * transaction and then finds the id taken, instead of both passing and the second overwriting the first's rows.
     */
    @Test
    void twoTransactionsTakingOneEndpointIdTakeItOneAfterTheOther() throws Exception {
        String id = "race-" + UUID.randomUUID();
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        CountDownLatch provisioned = new CountDownLatch(1);
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<?> firstTakes = first.submit(() -> transaction.executeWithoutResult(status -> {
                provisioner.requireUnused("endpoint", id);
                provisioner.provision(PjsipProvisioner.trunk(id, null, List.of("198.51.100.1")));
                provisioned.countDown();
                try {
                    Thread.sleep(500);   // a slow commit
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }));
            provisioned.await();

            assertThatThrownBy(() -> transaction.executeWithoutResult(
                    status -> provisioner.requireUnused("endpoint", id)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("is already used");
            firstTakes.get();
        }
        finally {
            first.shutdownNow();
        }
    }
}
